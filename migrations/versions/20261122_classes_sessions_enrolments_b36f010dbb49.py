"""Classes: classes, their modules and staff, sessions and their history, enrolments, calendar feeds.

Reviewed: tables are created parents first and dropped children first; plain op.create_index works on
SQLite and PostgreSQL alike. Written against abff2bd42be1 (catalog) while the VNeID migration was
being written in parallel; the two are re-chained when merged.

Revision ID: b36f010dbb49
Revises: 54c69ad877cf
Create Date: 2026-11-22 05:20:42.259367

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b36f010dbb49'
down_revision = '54c69ad877cf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('wheelchair_access', sa.Boolean(), nullable=False),
    sa.Column('large_print', sa.Boolean(), nullable=False),
    sa.Column('sign_language', sa.Boolean(), nullable=False),
    sa.Column('hearing_loop', sa.Boolean(), nullable=False),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_classes_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_classes_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_classes_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classes'))
    )
    op.create_index('ix_classes_commune_id_status', 'classes', ['commune_id', 'status'], unique=False)
    op.create_index(op.f('ix_classes_venue_id'), 'classes', ['venue_id'], unique=False)

    op.create_table('class_modules',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_modules_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_class_modules_module_id_modules'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('class_id', 'module_id', name=op.f('pk_class_modules'))
    )
    op.create_index(op.f('ix_class_modules_module_id'), 'class_modules', ['module_id'], unique=False)

    op.create_table('class_staff',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_staff_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_class_staff_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('class_id', 'person_id', name=op.f('pk_class_staff'))
    )
    op.create_index(op.f('ix_class_staff_person_id'), 'class_staff', ['person_id'], unique=False)

    op.create_table('class_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_sessions_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_class_sessions_module_id_modules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_class_sessions_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_sessions'))
    )
    op.create_index(op.f('ix_class_sessions_class_id'), 'class_sessions', ['class_id'], unique=False)
    op.create_index('ix_class_sessions_date_venue_id', 'class_sessions', ['date', 'venue_id'], unique=False)

    op.create_table('session_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('old_date', sa.Date(), nullable=False),
    sa.Column('old_start_time', sa.Time(), nullable=False),
    sa.Column('old_end_time', sa.Time(), nullable=False),
    sa.Column('old_venue_id', sa.Integer(), nullable=True),
    sa.Column('new_date', sa.Date(), nullable=False),
    sa.Column('new_start_time', sa.Time(), nullable=False),
    sa.Column('new_end_time', sa.Time(), nullable=False),
    sa.Column('new_venue_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_session_changes_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['new_venue_id'], ['venues.id'], name=op.f('fk_session_changes_new_venue_id_venues'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['old_venue_id'], ['venues.id'], name=op.f('fk_session_changes_old_venue_id_venues'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_session_changes_session_id_class_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_changes'))
    )
    op.create_index(op.f('ix_session_changes_session_id'), 'session_changes', ['session_id'], unique=False)

    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_enrolments_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_enrolments_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_enrolments_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['people.id'], name=op.f('fk_enrolments_withdrawn_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('class_id', 'person_id', name=op.f('uq_enrolments_class_id_person_id'))
    )
    op.create_index('ix_enrolments_class_id_status', 'enrolments', ['class_id', 'status'], unique=False)
    op.create_index(op.f('ix_enrolments_person_id'), 'enrolments', ['person_id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_calendar_feeds_created_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds'))
    )
    op.create_index('ix_calendar_feeds_kind_target_id', 'calendar_feeds', ['kind', 'target_id'], unique=False)


def downgrade():
    op.drop_index('ix_calendar_feeds_kind_target_id', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
    op.drop_index(op.f('ix_enrolments_person_id'), table_name='enrolments')
    op.drop_index('ix_enrolments_class_id_status', table_name='enrolments')
    op.drop_table('enrolments')
    op.drop_index(op.f('ix_session_changes_session_id'), table_name='session_changes')
    op.drop_table('session_changes')
    op.drop_index('ix_class_sessions_date_venue_id', table_name='class_sessions')
    op.drop_index(op.f('ix_class_sessions_class_id'), table_name='class_sessions')
    op.drop_table('class_sessions')
    op.drop_index(op.f('ix_class_staff_person_id'), table_name='class_staff')
    op.drop_table('class_staff')
    op.drop_index(op.f('ix_class_modules_module_id'), table_name='class_modules')
    op.drop_table('class_modules')
    op.drop_index(op.f('ix_classes_venue_id'), table_name='classes')
    op.drop_index('ix_classes_commune_id_status', table_name='classes')
    op.drop_table('classes')
