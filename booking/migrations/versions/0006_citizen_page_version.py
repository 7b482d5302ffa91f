"""citizen page version

A version per citizen of what the citizen's own pages show (bookings, obligations, programmes,
conversations held, the citizen's own row). Every transaction that changes one of them raises
it (``booking.page_versions``), so a cached rendering of the citizen's home page or list of
free times is used only while it is still the citizen's own truth (issue 13, speed).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_column('page_version')
