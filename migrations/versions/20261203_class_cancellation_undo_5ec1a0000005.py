"""Class cancellations that can be undone: a record per cancellation, and a link from each session change it
made, so undoing it restores exactly the sessions the class cancellation cancelled.

Revision ID: 5ec1a0000005
Revises: 5ec1a0000004
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000005'
down_revision = '5ec1a0000004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('class_cancellations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('previous_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_class_cancellations_by_id_people'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_cancellations_class_id_classes'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['people.id'],
                            name=op.f('fk_class_cancellations_undone_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_cancellations'))
    )
    with op.batch_alter_table('class_cancellations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_cancellations_class_id'), ['class_id'], unique=False)

    with op.batch_alter_table('session_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancellation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_session_changes_cancellation_id'), ['cancellation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_session_changes_cancellation_id_class_cancellations'),
                                    'class_cancellations', ['cancellation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('session_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_session_changes_cancellation_id_class_cancellations'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_session_changes_cancellation_id'))
        batch_op.drop_column('cancellation_id')

    with op.batch_alter_table('class_cancellations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_cancellations_class_id'))
    op.drop_table('class_cancellations')
