"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rehab_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('ics_uid', sa.String(length=255), nullable=True),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_rehab_closures_start_before_end')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rehab_closures')),
    sa.UniqueConstraint('ics_uid', name=op.f('uq_rehab_closures_ics_uid'))
    )
    op.create_table('rehab_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_rehab_meetings_capacity_nonnegative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rehab_meetings')),
    sa.UniqueConstraint('date', name=op.f('uq_rehab_meetings_date'))
    )
    op.create_table('rehab_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_rehab_schedules_capacity_positive')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from <= valid_to', name=op.f('ck_rehab_schedules_valid_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 4', name=op.f('ck_rehab_schedules_weekday_workday')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rehab_schedules'))
    )
    op.create_table('rule_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_sets')),
    sa.UniqueConstraint('code', name=op.f('uq_rule_sets_code'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('citizen', 'caseworker', 'callin', 'planner', 'manager', 'admin', name='staff_role', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role <> 'citizen'", name=op.f('ck_staff_users_staff_not_citizen')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_staff_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_users_username'))
    )
    op.create_table('caseworkers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('initials', sa.String(length=8), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('max_per_day', sa.Integer(), nullable=True),
    sa.Column('calendar_token', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_per_day IS NULL OR max_per_day >= 1', name=op.f('ck_caseworkers_max_per_day_positive')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_caseworkers_staff_user_id_staff_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_caseworkers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caseworkers')),
    sa.UniqueConstraint('calendar_token', name=op.f('uq_caseworkers_calendar_token')),
    sa.UniqueConstraint('staff_user_id', name=op.f('uq_caseworkers_staff_user_id'))
    )
    op.create_index(op.f('ix_caseworkers_unit_id'), 'caseworkers', ['unit_id'], unique=False)
    op.create_table('group_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('minutes_per_conversation', sa.Integer(), nullable=False),
    sa.Column('overflow_risk', sa.Double(), nullable=False),
    sa.Column('state', sa.Enum('planned', 'running', 'closed', name='session_state', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('minutes_per_conversation BETWEEN 5 AND 240', name=op.f('ck_group_sessions_minutes_range')),
    sa.CheckConstraint('overflow_risk > 0 AND overflow_risk < 1', name=op.f('ck_group_sessions_risk_range')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_group_sessions_start_before_end')),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_group_sessions_created_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_group_sessions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_sessions'))
    )
    op.create_table('rehab_scenarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_rehab_scenarios_created_by_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rehab_scenarios')),
    sa.UniqueConstraint('name', name='uq_rehab_scenarios_name')
    )
    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('ics_uid', sa.String(length=255), nullable=True),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_absences_start_before_end')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_absences_caseworker_id_caseworkers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences')),
    sa.UniqueConstraint('caseworker_id', 'ics_uid', name='uq_absences_caseworker_ics_uid')
    )
    op.create_table('citizens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cpr_hash', sa.String(length=64), nullable=False),
    sa.Column('cpr_masked', sa.String(length=11), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=True),
    sa.Column('channels', sa.JSON(), nullable=True),
    sa.Column('attended_count', sa.Integer(), nullable=False),
    sa.Column('missed_count', sa.Integer(), nullable=False),
    sa.Column('show_probability', sa.Double(), nullable=False),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attended_count >= 0 AND missed_count >= 0', name=op.f('ck_citizens_counts_nonnegative')),
    sa.CheckConstraint('show_probability >= 0 AND show_probability <= 1', name=op.f('ck_citizens_show_probability_range')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_citizens_caseworker_id_caseworkers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_citizens_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizens')),
    sa.UniqueConstraint('cpr_hash', name=op.f('uq_citizens_cpr_hash'))
    )
    op.create_index(op.f('ix_citizens_caseworker_id'), 'citizens', ['caseworker_id'], unique=False)
    op.create_index(op.f('ix_citizens_unit_id'), 'citizens', ['unit_id'], unique=False)
    op.create_table('group_session_caseworkers',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_group_session_caseworkers_caseworker_id_caseworkers')),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_group_session_caseworkers_session_id_group_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'caseworker_id', name=op.f('pk_group_session_caseworkers'))
    )
    op.create_table('slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('in_person', 'phone', 'video', name='slot_channel', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('self_bookable', sa.Boolean(), nullable=False),
    sa.Column('group_session_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_slots_capacity_positive')),
    sa.CheckConstraint('minutes BETWEEN 5 AND 480', name=op.f('ck_slots_minutes_range')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_slots_caseworker_id_caseworkers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_session_id'], ['group_sessions.id'], name=op.f('fk_slots_group_session_id_group_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slots')),
    sa.UniqueConstraint('caseworker_id', 'starts_at', name='uq_slots_caseworker_start')
    )
    op.create_index(op.f('ix_slots_starts_at'), 'slots', ['starts_at'], unique=False)
    op.create_table('work_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('in_person', 'phone', 'video', name='template_channel', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('self_bookable', sa.Boolean(), nullable=False),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 480', name=op.f('ck_work_templates_slot_minutes_range')),
    sa.CheckConstraint('start_time < end_time', name=op.f('ck_work_templates_start_before_end')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_work_templates_weekday_range')),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_work_templates_caseworker_id_caseworkers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_templates'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.Enum('staff', 'citizen', 'system', name='actor_kind', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=64), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_audit_log_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_index(op.f('ix_audit_log_citizen_id'), 'audit_log', ['citizen_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'sms', 'digital_post', name='outbox_channel', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ics', sa.Text(), nullable=True),
    sa.Column('ics_method', sa.String(length=16), nullable=True),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='outbox_state', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_attempts_nonnegative')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_outbox_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    op.create_index(op.f('ix_outbox_citizen_id'), 'outbox', ['citizen_id'], unique=False)
    op.create_index(op.f('ix_outbox_not_before'), 'outbox', ['not_before'], unique=False)
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('target_group', sa.String(length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('rule_set_code', sa.String(length=64), nullable=False),
    sa.CheckConstraint("target_group IN ('insured_unemployed', 'cash_benefit', 'education_benefit', 'resource_programme', 'job_clarification', 'flexjob_benefit')", name=op.f('ck_programmes_target_group_known')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_programmes_end_after_start')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_programmes_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_set_code'], ['rule_sets.code'], name=op.f('fk_programmes_rule_set_code_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    op.create_table('obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('rule_set_code', sa.String(length=64), nullable=False),
    sa.Column('step_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('earliest', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('statutory_deadline', sa.Date(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('pool', sa.String(length=16), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('holder', sa.String(length=32), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('open', 'booked', 'fulfilled', 'waived', name='obligation_state', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('fulfilled_on', sa.Date(), nullable=True),
    sa.Column('label_da', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.CheckConstraint("pool IN ('caseworker', 'unit')", name=op.f('ck_obligations_pool_known')),
    sa.CheckConstraint('earliest <= deadline', name=op.f('ck_obligations_earliest_before_deadline')),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_obligations_minutes_positive')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_obligations_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_obligations_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_set_code'], ['rule_sets.code'], name=op.f('fk_obligations_rule_set_code_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obligations')),
    sa.UniqueConstraint('programme_id', 'step_key', name='uq_obligations_step')
    )
    op.create_index(op.f('ix_obligations_citizen_id'), 'obligations', ['citizen_id'], unique=False)
    op.create_index(op.f('ix_obligations_deadline'), 'obligations', ['deadline'], unique=False)
    op.create_table('rehab_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('ready_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('material_state', sa.Enum('preparing', 'sent', name='material_state', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('material_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.Enum('forecast', 'open', 'assigned', 'presented', name='rehab_case_state', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('plan_note', sa.Text(), nullable=True),
    sa.Column('planned_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state <> 'assigned' OR meeting_id IS NOT NULL", name=op.f('ck_rehab_cases_assigned_has_meeting')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_rehab_cases_weight_positive')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_rehab_cases_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['meeting_id'], ['rehab_meetings.id'], name=op.f('fk_rehab_cases_meeting_id_rehab_meetings')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_rehab_cases_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rehab_cases'))
    )
    op.create_index(op.f('ix_rehab_cases_citizen_id'), 'rehab_cases', ['citizen_id'], unique=False)
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('booked', 'cancelled', 'attended', 'no_show', name='booking_state', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('source', sa.Enum('self', 'callin', 'solver', 'staff', name='booking_source', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('ical_uid', sa.String(length=255), nullable=False),
    sa.Column('ical_sequence', sa.Integer(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ical_sequence >= 0', name=op.f('ck_bookings_sequence_nonnegative')),
    sa.CheckConstraint('seat >= 1', name=op.f('ck_bookings_seat_positive')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_bookings_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_users.id'], name=op.f('fk_bookings_created_by_staff_id_staff_users')),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_bookings_obligation_id_obligations')),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_bookings_slot_id_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('request_key', name=op.f('uq_bookings_request_key'))
    )
    op.create_index(op.f('ix_bookings_citizen_id'), 'bookings', ['citizen_id'], unique=False)
    op.create_index(op.f('ix_bookings_slot_id'), 'bookings', ['slot_id'], unique=False)
    op.create_index('uq_bookings_obligation_active', 'bookings', ['obligation_id'], unique=True, sqlite_where=sa.text("state = 'booked'"), postgresql_where=sa.text("state = 'booked'"))
    op.create_index('uq_bookings_slot_seat_active', 'bookings', ['slot_id', 'seat'], unique=True, sqlite_where=sa.text("state <> 'cancelled'"), postgresql_where=sa.text("state <> 'cancelled'"))
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('invited', 'arrived', 'in_progress', 'served', 'no_show', 'cancelled', name='invitation_state', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('show_probability', sa.Double(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('caseworker_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('served_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ical_uid', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworkers.id'], name=op.f('fk_invitations_caseworker_id_caseworkers')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_invitations_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_invitations_obligation_id_obligations')),
    sa.ForeignKeyConstraint(['session_id'], ['group_sessions.id'], name=op.f('fk_invitations_session_id_group_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('session_id', 'citizen_id', name='uq_invitations_session_citizen')
    )
    op.create_index('uq_invitations_caseworker_busy', 'invitations', ['session_id', 'caseworker_id'], unique=True, sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))
    op.create_table('held_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.Enum('in_person', 'phone', 'video', name='held_channel', native_enum=False, create_constraint=True, length=13), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_held_conversations_booking_id_bookings')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_held_conversations_citizen_id_citizens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_conversations')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_held_conversations_booking_id'))
    )
    op.create_index(op.f('ix_held_conversations_citizen_id'), 'held_conversations', ['citizen_id'], unique=False)
    op.create_table('phone_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('reached', 'not_reached', 'new_time', name='call_outcome', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('called_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_phone_calls_invitation_id_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_phone_calls_staff_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_calls'))
    )


def downgrade() -> None:
    op.drop_table('phone_calls')
    op.drop_index(op.f('ix_held_conversations_citizen_id'), table_name='held_conversations')
    op.drop_table('held_conversations')
    op.drop_index('uq_invitations_caseworker_busy', table_name='invitations', sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))
    op.drop_table('invitations')
    op.drop_index('uq_bookings_slot_seat_active', table_name='bookings', sqlite_where=sa.text("state <> 'cancelled'"), postgresql_where=sa.text("state <> 'cancelled'"))
    op.drop_index('uq_bookings_obligation_active', table_name='bookings', sqlite_where=sa.text("state = 'booked'"), postgresql_where=sa.text("state = 'booked'"))
    op.drop_index(op.f('ix_bookings_slot_id'), table_name='bookings')
    op.drop_index(op.f('ix_bookings_citizen_id'), table_name='bookings')
    op.drop_table('bookings')
    op.drop_index(op.f('ix_rehab_cases_citizen_id'), table_name='rehab_cases')
    op.drop_table('rehab_cases')
    op.drop_index(op.f('ix_obligations_deadline'), table_name='obligations')
    op.drop_index(op.f('ix_obligations_citizen_id'), table_name='obligations')
    op.drop_table('obligations')
    op.drop_table('programmes')
    op.drop_index(op.f('ix_outbox_not_before'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_citizen_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_audit_log_citizen_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('work_templates')
    op.drop_index(op.f('ix_slots_starts_at'), table_name='slots')
    op.drop_table('slots')
    op.drop_table('group_session_caseworkers')
    op.drop_index(op.f('ix_citizens_unit_id'), table_name='citizens')
    op.drop_index(op.f('ix_citizens_caseworker_id'), table_name='citizens')
    op.drop_table('citizens')
    op.drop_table('absences')
    op.drop_table('rehab_scenarios')
    op.drop_table('group_sessions')
    op.drop_index(op.f('ix_caseworkers_unit_id'), table_name='caseworkers')
    op.drop_table('caseworkers')
    op.drop_table('staff_users')
    op.drop_table('units')
    op.drop_table('rule_sets')
    op.drop_table('rehab_schedules')
    op.drop_table('rehab_meetings')
    op.drop_table('rehab_closures')
