"""Certificates: a kind ("completion", or "volunteer" for a volunteer's thank-you certificate), the event a volunteer
certificate names, and the hours it thanks for.

Reviewed: every existing certificate is a completion certificate (server default "completion"); event_id and hours
stay empty for them. A volunteer certificate certifies no skills, so framework_version_id may now be empty (it
stays required in practice for completions: issuing always sets it). One volunteer certificate per (event, person)
is enforced by a unique constraint (completions have no event: NULLs never clash, on SQLite and PostgreSQL alike).
Deleting an event keeps its certificates (their serials are for ever; the event is named in their text): event_id
is set to NULL. Downgrade deletes volunteer certificates and their revisions (the older schema cannot hold a
certificate without a framework), then drops the columns; their serials and status list entries stay used.

Revision ID: 5ec1a000000a
Revises: 5ec1a0000009
Create Date: 2026-12-04 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a000000a'
down_revision = '5ec1a0000009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='completion', nullable=False))
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hours', sa.Double(), nullable=True))
        batch_op.alter_column('framework_version_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_certificates_event_id_events'), 'events', ['event_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_event_id_person_id'), ['event_id', 'person_id'])


def downgrade():
    # Revisions first: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
    op.execute("DELETE FROM certificate_revisions WHERE certificate_id IN "
               "(SELECT id FROM certificates WHERE kind <> 'completion')")
    op.execute("DELETE FROM certificates WHERE kind <> 'completion'")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificates_event_id_person_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_certificates_event_id_events'), type_='foreignkey')
        batch_op.alter_column('framework_version_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('hours')
        batch_op.drop_column('event_id')
        batch_op.drop_column('kind')
