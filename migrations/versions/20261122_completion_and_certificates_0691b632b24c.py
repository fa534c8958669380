"""Completion rules and records, certificates with their revisions, serial counters, signing keys.

Reviewed: serial_counters is keyed by (commune, year) and bumped with UPDATE … RETURNING so serials are
never reused; certificate rows are never deleted (RESTRICT on person and commune), only revoked.

Revision ID: 0691b632b24c
Revises: be82830bb71a
Create Date: 2026-11-22 06:29:14.982312

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0691b632b24c'
down_revision = 'be82830bb71a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('serial_counters',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_serial_counters_commune_id_communes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commune_id', 'year', name=op.f('pk_serial_counters'))
    )
    op.create_table('signing_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_signing_keys_commune_id_communes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_signing_keys_kid'))
    )
    with op.batch_alter_table('signing_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_keys_commune_id'), ['commune_id'], unique=False)

    op.create_table('completion_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('attendance_percent', sa.Integer(), nullable=False),
    sa.Column('require_assessment', sa.Boolean(), nullable=False),
    sa.Column('require_practical', sa.Boolean(), nullable=False),
    sa.Column('confirmation', sa.String(length=10), nullable=False),
    sa.Column('officer_name', sa.String(length=120), nullable=False),
    sa.Column('officer_title', sa.String(length=160), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_completion_rules_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_completion_rules_updated_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_rules')),
    sa.UniqueConstraint('commune_id', name=op.f('uq_completion_rules_commune_id'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('framework_version_id', sa.Integer(), nullable=False),
    sa.Column('achievement', sa.String(length=300), nullable=False),
    sa.Column('module_codes', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('skill_groups', sa.JSON(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('officer_name', sa.String(length=120), nullable=False),
    sa.Column('officer_title', sa.String(length=160), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_certificates_class_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_certificates_commune_id_communes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['framework_version_id'], ['framework_versions.id'], name=op.f('fk_certificates_framework_version_id_framework_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_certificates_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['people.id'], name=op.f('fk_certificates_revoked_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('person_id', 'class_id', name=op.f('uq_certificates_person_id_class_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_person_id'), ['person_id'], unique=False)

    op.create_table('certificate_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('credential', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_revisions_certificate_id_certificates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['people.id'], name=op.f('fk_certificate_revisions_issued_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_revisions')),
    sa.UniqueConstraint('certificate_id', 'number', name=op.f('uq_certificate_revisions_certificate_id_number'))
    )
    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('framework_version_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('attendance_share', sa.Double(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('eligible_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_completions_attempt_id_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_completions_class_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_completions_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['people.id'], name=op.f('fk_completions_confirmed_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['framework_version_id'], ['framework_versions.id'], name=op.f('fk_completions_framework_version_id_framework_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_completions_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_versions.id'], name=op.f('fk_completions_module_version_id_module_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_completions_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('person_id', 'module_id', name=op.f('uq_completions_person_id_module_id'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completions_person_id'))
        batch_op.drop_index(batch_op.f('ix_completions_commune_id'))
        batch_op.drop_index(batch_op.f('ix_completions_class_id'))

    op.drop_table('completions')
    op.drop_table('certificate_revisions')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_person_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_commune_id'))

    op.drop_table('certificates')
    op.drop_table('completion_rules')
    with op.batch_alter_table('signing_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_keys_commune_id'))

    op.drop_table('signing_keys')
    op.drop_table('serial_counters')
