"""Certificates: revocation status list entries (Bitstring Status List) for signed credentials.

Reviewed: every certificate gets an index in its commune's status list (unique per commune), handed out
by status_list_counters with UPDATE … RETURNING like serials. Existing certificates are numbered here, in
id order per commune, so revoking one sets its bit; their already-signed credentials do not name the
list (a migration cannot sign: the keys need DATA_ENCRYPTION_KEY), so they carry the status entry from
their next reissue on, and the public verification page keeps showing revocation for all of them.

Revision ID: 5ec1a0000003
Revises: 5ec1a0000002
Create Date: 2026-12-03 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000003'
down_revision = '5ec1a0000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('status_list_counters',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('allocated', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_status_list_counters_commune_id_communes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commune_id', name=op.f('pk_status_list_counters'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_commune_id_status_index'), ['commune_id', 'status_index'])

    # Number existing certificates 0, 1, 2 … per commune (portable: no window functions needed).
    op.execute("UPDATE certificates SET status_index = (SELECT COUNT(*) FROM certificates AS earlier "
               "WHERE earlier.commune_id = certificates.commune_id AND earlier.id < certificates.id)")
    op.execute("INSERT INTO status_list_counters (commune_id, allocated) "
               "SELECT commune_id, COUNT(*) FROM certificates GROUP BY commune_id")


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificates_commune_id_status_index'), type_='unique')
        batch_op.drop_column('status_index')

    op.drop_table('status_list_counters')
