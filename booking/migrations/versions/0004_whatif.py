"""what-if runs

Capacity what-ifs for conversations (issue 15, item 3): a scenario made from the live state with
the planner's changes, simulated in the background seed by seed (progress: seeds done of seeds
total), and its figures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('whatif_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('seeds_total', sa.Integer(), nullable=False),
    sa.Column('seeds_done', sa.Integer(), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_whatif_runs_whatif_state_known')),
    sa.CheckConstraint('seeds_done >= 0 AND seeds_done <= seeds_total', name=op.f('ck_whatif_runs_whatif_seeds_range')),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_whatif_runs_created_by_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_whatif_runs'))
    )


def downgrade() -> None:
    op.drop_table('whatif_runs')
