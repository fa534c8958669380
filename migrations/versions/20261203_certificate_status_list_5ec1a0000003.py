"""Certificates: revocation status list entries (Bitstring Status List) for signed credentials.

Placeholder in the security chain: filled in by the certificates part of issue 11.

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
    pass


def downgrade():
    pass
