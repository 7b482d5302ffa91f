"""law in force and conversation planning

Held conversations get a kind and a holder (existing rows: conversations held by the job
centre); programmes get pauses and an end reason; exemptions under the 75 % rule; local closed
days; plan runs of the conversation planner, and the outcome of each booking.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('closed_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_days')),
    sa.UniqueConstraint('day', name=op.f('uq_closed_days_day'))
    )
    op.create_table('plan_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', 'accepted', 'superseded', name='plan_run_state', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('trigger', sa.Enum('manual', 'nightly', 'event', 'cli', name='plan_trigger', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('triggered_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('trigger_detail', sa.JSON(), nullable=True),
    sa.Column('horizon_start', sa.Date(), nullable=False),
    sa.Column('horizon_end', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('progress', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('proposals', sa.JSON(), nullable=True),
    sa.Column('unplanned', sa.JSON(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_staff_id'], ['staff_users.id'], name=op.f('fk_plan_runs_accepted_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['triggered_by_staff_id'], ['staff_users.id'], name=op.f('fk_plan_runs_triggered_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_plan_runs_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_runs'))
    )
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_runs_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_plan_runs_unit_active', ['unit_id'], unique=True, sqlite_where=sa.text("state IN ('queued', 'running')"), postgresql_where=sa.text("state IN ('queued', 'running')"))

    op.create_table('obligation_exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('step_key', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_obligation_exemptions_reason_given')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_obligation_exemptions_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_obligation_exemptions_created_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_obligation_exemptions_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_staff_id'], ['staff_users.id'], name=op.f('fk_obligation_exemptions_revoked_by_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obligation_exemptions'))
    )
    with op.batch_alter_table('obligation_exemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_obligation_exemptions_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index('uq_obligation_exemptions_active', ['programme_id', 'step_key'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('programme_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_programme_pauses_end_after_start')),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_programme_pauses_created_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_pauses_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_pauses'))
    )
    with op.batch_alter_table('programme_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_pauses_programme_id'), ['programme_id'], unique=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_by', sa.Enum('citizen', 'jobcentre', name='cancelled_by', native_enum=False, create_constraint=True, length=13), nullable=True))
        batch_op.add_column(sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome_by_staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_run_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_bookings_outcome_by_staff_id_staff_users'), 'staff_users', ['outcome_by_staff_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_bookings_plan_run_id_plan_runs'), 'plan_runs', ['plan_run_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('held_conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('conversation', 'offer', 'rehab_presentation', 'reassessment', name='held_kind', native_enum=False, create_constraint=True, length=22), nullable=False, server_default='conversation'))
        batch_op.add_column(sa.Column('holder', sa.Enum('jobcentre', 'unemployment_fund', name='held_holder', native_enum=False, create_constraint=True, length=21), nullable=False, server_default='jobcentre'))
        batch_op.add_column(sa.Column('fund_declined', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('recorded_by_staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))
        batch_op.create_check_constraint('joint_held_by_jobcentre', "NOT (joint AND holder = 'unemployment_fund')")
        batch_op.create_foreign_key(batch_op.f('fk_held_conversations_recorded_by_staff_id_staff_users'), 'staff_users', ['recorded_by_staff_id'], ['id'])

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_reason', sa.String(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('end_reason')

    with op.batch_alter_table('held_conversations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_held_conversations_joint_held_by_jobcentre'), type_='check')
        batch_op.drop_constraint(op.f('ck_held_conversations_held_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_held_conversations_held_holder'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_held_conversations_recorded_by_staff_id_staff_users'), type_='foreignkey')
        batch_op.drop_column('created_at')
        batch_op.drop_column('recorded_by_staff_id')
        batch_op.drop_column('fund_declined')
        batch_op.drop_column('holder')
        batch_op.drop_column('kind')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_bookings_cancelled_by'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_bookings_plan_run_id_plan_runs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_bookings_outcome_by_staff_id_staff_users'), type_='foreignkey')
        batch_op.drop_column('plan_run_id')
        batch_op.drop_column('outcome_by_staff_id')
        batch_op.drop_column('outcome_at')
        batch_op.drop_column('cancelled_by')

    with op.batch_alter_table('programme_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_pauses_programme_id'))

    op.drop_table('programme_pauses')
    with op.batch_alter_table('obligation_exemptions', schema=None) as batch_op:
        batch_op.drop_index('uq_obligation_exemptions_active', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_obligation_exemptions_citizen_id'))

    op.drop_table('obligation_exemptions')
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_plan_runs_unit_active', sqlite_where=sa.text("state IN ('queued', 'running')"), postgresql_where=sa.text("state IN ('queued', 'running')"))
        batch_op.drop_index(batch_op.f('ix_plan_runs_unit_id'))

    op.drop_table('plan_runs')
    op.drop_table('closed_days')
