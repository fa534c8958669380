"""VNeID identities (linked citizens, kept as a keyed hash) and the bundled mock provider's tables.

Reviewed: constraint and index names follow the metadata naming convention; JSON columns are JSON on
PostgreSQL and text on SQLite; the mock's tables are all prefixed mock_vneid_ and reference nothing
else, so dropping them never touches the programme's data. Written on 74d9bbf33484 and chained after the
catalog migration (abff2bd42be1) once that was committed, so there is a single head.

Revision ID: 54c69ad877cf
Revises: abff2bd42be1
Create Date: 2026-11-22 05:05:31.692577

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '54c69ad877cf'
down_revision = 'abff2bd42be1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mock_vneid_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('client_secret', sa.String(length=128), nullable=False),
    sa.Column('redirect_uris', sa.JSON(), nullable=False),
    sa.Column('post_logout_redirect_uris', sa.JSON(), nullable=False),
    sa.Column('scope', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_vneid_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_mock_vneid_clients_client_id'))
    )
    op.create_table('mock_vneid_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('redirect_uri', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('nonce', sa.String(length=255), nullable=True),
    sa.Column('auth_time', sa.Integer(), nullable=False),
    sa.Column('acr', sa.String(length=64), nullable=True),
    sa.Column('citizen_id', sa.String(length=12), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('code_challenge', sa.String(length=128), nullable=True),
    sa.Column('code_challenge_method', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_vneid_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_mock_vneid_codes_code'))
    )
    op.create_index(op.f('ix_mock_vneid_codes_created_at'), 'mock_vneid_codes', ['created_at'], unique=False)
    op.create_table('mock_vneid_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('citizen_id', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_vneid_sessions')),
    sa.UniqueConstraint('sid', name=op.f('uq_mock_vneid_sessions_sid'))
    )
    op.create_index(op.f('ix_mock_vneid_sessions_created_at'), 'mock_vneid_sessions', ['created_at'], unique=False)
    op.create_table('mock_vneid_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('access_token', sa.String(length=255), nullable=False),
    sa.Column('token_type', sa.String(length=40), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('citizen_id', sa.String(length=12), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.Integer(), nullable=False),
    sa.Column('expires_in', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_vneid_tokens')),
    sa.UniqueConstraint('access_token', name=op.f('uq_mock_vneid_tokens_access_token'))
    )
    op.create_index('ix_mock_vneid_tokens_code_id', 'mock_vneid_tokens', ['code_id'], unique=False)
    op.create_table('vneid_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id_hmac', sa.String(length=64), nullable=False),
    sa.Column('citizen_id_last3', sa.String(length=3), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('assurance_level', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vneid_identities_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['people.id'], name=op.f('fk_vneid_identities_registered_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vneid_identities')),
    sa.UniqueConstraint('citizen_id_hmac', name=op.f('uq_vneid_identities_citizen_id_hmac')),
    sa.UniqueConstraint('person_id', name=op.f('uq_vneid_identities_person_id'))
    )


def downgrade():
    op.drop_table('vneid_identities')
    op.drop_index('ix_mock_vneid_tokens_code_id', table_name='mock_vneid_tokens')
    op.drop_table('mock_vneid_tokens')
    op.drop_index(op.f('ix_mock_vneid_sessions_created_at'), table_name='mock_vneid_sessions')
    op.drop_table('mock_vneid_sessions')
    op.drop_index(op.f('ix_mock_vneid_codes_created_at'), table_name='mock_vneid_codes')
    op.drop_table('mock_vneid_codes')
    op.drop_table('mock_vneid_clients')
