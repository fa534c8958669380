"""Kiosk: a commune's idle times for its shared tablets (on a lesson or quiz question, and elsewhere).

Reviewed: one row per commune that chose its own times, in seconds; communes without a row use the
KIOSK_IDLE_LESSON_SECONDS / KIOSK_IDLE_SECONDS defaults (5 and 2 minutes), so nothing needs filling in.

Revision ID: 5ec1a0000006
Revises: 5ec1a0000005
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000006'
down_revision = '5ec1a0000005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_settings',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('lesson_idle_seconds', sa.Integer(), nullable=False),
    sa.Column('idle_seconds', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_kiosk_settings_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_kiosk_settings_updated_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('commune_id', name=op.f('pk_kiosk_settings'))
    )


def downgrade():
    op.drop_table('kiosk_settings')
