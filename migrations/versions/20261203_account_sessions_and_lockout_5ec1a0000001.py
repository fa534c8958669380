"""Accounts: a session version that ends every session when bumped; failed sign-ins and a lock.

Reviewed: session_version starts at 1 for existing accounts (their current cookies carry no version
and are refused once, which signs everyone out on upgrade — intended after the takeover fix);
failed_attempts and locked_until are shared by every process through the database, so a lock holds
whatever the number of workers.

Revision ID: 5ec1a0000001
Revises: 0691b632b24c
Create Date: 2026-12-03 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000001'
down_revision = '0691b632b24c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lockouts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('lockouts')
        batch_op.drop_column('failed_attempts')
        batch_op.drop_column('session_version')
