"""Attendance: the current mark per session and enrolment, the append-only history of writes, commune settings.

Reviewed: one current mark per (session, enrolment) (unique: concurrent writers meet on it and lock it);
every write is kept in attendance_changes with its device's client id, unique so that a replayed batch is a
no-op. Marks and history go with their session or enrolment (CASCADE); who wrote them is kept as long as the
person exists (SET NULL).

Revision ID: be82830bb71a
Revises: 2028ddd4de2d
Create Date: 2026-11-22 06:09:20.665667

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'be82830bb71a'
down_revision = '2028ddd4de2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_settings',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('late_window_minutes', sa.Integer(), nullable=False),
    sa.Column('grace_minutes', sa.Integer(), nullable=False),
    sa.Column('absentee_streak', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_attendance_settings_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_attendance_settings_updated_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('commune_id', name=op.f('pk_attendance_settings'))
    )
    op.create_table('attendance_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('effective_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_attendance_marks_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['people.id'], name=op.f('fk_attendance_marks_marked_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_attendance_marks_session_id_class_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_marks')),
    sa.UniqueConstraint('session_id', 'enrolment_id', name=op.f('uq_attendance_marks_session_id_enrolment_id'))
    )
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_marks_enrolment_id'), ['enrolment_id'], unique=False)

    op.create_table('attendance_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('old_status', sa.String(length=10), nullable=True),
    sa.Column('new_status', sa.String(length=10), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('device_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('effective_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('server_time', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_attendance_changes_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_attendance_changes_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_attendance_changes_session_id_class_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_changes')),
    sa.UniqueConstraint('client_id', name=op.f('uq_attendance_changes_client_id'))
    )
    with op.batch_alter_table('attendance_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_changes_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index('ix_attendance_changes_session_id_enrolment_id', ['session_id', 'enrolment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_changes_session_id_enrolment_id')
        batch_op.drop_index(batch_op.f('ix_attendance_changes_enrolment_id'))

    op.drop_table('attendance_changes')
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_marks_enrolment_id'))

    op.drop_table('attendance_marks')
    op.drop_table('attendance_settings')
