"""api client actor kind

Audit entries written for a request from an API client get their own actor kind,
``api_client`` (the actor id is the API client's id), instead of ``system``: the CHECK
constraint on ``audit_log.actor_kind`` admits the new value and the column grows to the
length the models give it (the longest value plus 4). Entries written before stay ``system``.

Downgrade: entries with actor kind ``api_client`` become ``system`` again (their actor id is
kept, so they read as before this revision), then the old constraint and length come back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_KINDS = ('staff', 'citizen', 'system')
NEW_KINDS = OLD_KINDS + ('api_client',)


def _actor_kinds(kinds: tuple[str, ...], old_length: int, new_length: int) -> None:
    """Replace the CHECK constraint on ``audit_log.actor_kind`` by one for ``kinds``."""
    allowed = ', '.join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_log_actor_kind'), type_='check')
        batch_op.alter_column('actor_kind', existing_type=sa.String(length=old_length),
                              type_=sa.String(length=new_length), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_audit_log_actor_kind'),
                                         f'actor_kind IN ({allowed})')


def upgrade() -> None:
    _actor_kinds(NEW_KINDS, 11, 14)


def downgrade() -> None:
    op.execute("UPDATE audit_log SET actor_kind = 'system' WHERE actor_kind = 'api_client'")
    _actor_kinds(OLD_KINDS, 14, 11)
