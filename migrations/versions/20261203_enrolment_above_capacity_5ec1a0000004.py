"""Enrolments: a learner seated above capacity (a walk-in in a full class), and who seated them.

Reviewed: existing enrolments get above_capacity = false (server default); seated_by_id is empty for them and
is set to NULL when that person's row goes (as withdrawn_by_id is).

Revision ID: 5ec1a0000004
Revises: 5ec1a0000003
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000004'
down_revision = '5ec1a0000003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('above_capacity', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('seated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_enrolments_seated_by_id_people'), 'people', ['seated_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enrolments_seated_by_id_people'), type_='foreignkey')
        batch_op.drop_column('seated_by_id')
        batch_op.drop_column('above_capacity')
