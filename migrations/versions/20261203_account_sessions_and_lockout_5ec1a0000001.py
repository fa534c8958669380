"""Accounts: a session version that ends every session when bumped; sign-in guards; rate-limit counters.

Reviewed: session_version starts at 1 for existing accounts; cookies from before the upgrade carry no
version and are refused once, which signs everyone out on upgrade (intended after the takeover fix).
sign_in_guards counts wrong secrets per account (or per keyed hash of an unknown phone) in the
database, so a lock holds whatever the number of processes; rows are small and expire by updated_at.
rate_limit_counters holds Flask-Limiter's fixed-window counts when there is no Redis (one row per
limit and client, swept an hour after its window ends).

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
    op.create_table('sign_in_guards',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('lockouts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_guards'))
    )
    with op.batch_alter_table('sign_in_guards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_guards_updated_at'), ['updated_at'], unique=False)
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counters_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counters_expires_at'))
    op.drop_table('rate_limit_counters')
    with op.batch_alter_table('sign_in_guards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_guards_updated_at'))
    op.drop_table('sign_in_guards')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('session_version')
