"""Similarity (pgvector windows of the reference corpus and of every version, HNSW), the
sound library (presets, SoundFonts, samples with pg_trgm search) and live-editing visits
for project analytics.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reference_tunes',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), server_default='', nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('licence', sa.String(length=300), server_default='', nullable=False),
    sa.Column('corpus_version', sa.String(length=64), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_tunes'))
    )
    op.create_table('collab_visits',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_collab_visits_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_collab_visits_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collab_visits'))
    )
    op.create_index('ix_collab_visits_project_started', 'collab_visits', ['project_id', 'started_at'], unique=False)
    op.create_table('library_samples',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('bpm', sa.Float(), nullable=True),
    sa.Column('key', sa.String(length=16), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=40)), server_default='{}', nullable=False),
    sa.Column('search_text', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('duration_s', sa.Float(), nullable=False),
    sa.Column('sample_rate', sa.Integer(), nullable=False),
    sa.Column('channels', sa.SmallInteger(), nullable=False),
    sa.Column('detected', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_library_samples_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_samples'))
    )
    op.create_index(op.f('ix_library_samples_owner_id'), 'library_samples', ['owner_id'], unique=False)
    op.create_index('ix_library_samples_search_trgm', 'library_samples', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_table('library_soundfonts',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('presets', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_library_soundfonts_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_soundfonts'))
    )
    op.create_index(op.f('ix_library_soundfonts_owner_id'), 'library_soundfonts', ['owner_id'], unique=False)
    op.create_table('similarity_indexed_versions',
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('windows', sa.Integer(), nullable=False),
    sa.Column('indexed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_similarity_indexed_versions_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'version_number', name=op.f('pk_similarity_indexed_versions'))
    )
    op.create_table('similarity_windows',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('reference_tune_id', sa.String(length=200), nullable=True),
    sa.Column('project_id', sa.Uuid(), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('track_id', sa.String(length=64), nullable=True),
    sa.Column('track_name', sa.String(length=100), server_default='', nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('bars', sa.SmallInteger(), nullable=False),
    sa.Column('start_bar', sa.Integer(), nullable=False),
    sa.Column('notes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('embedding', pgvector.sqlalchemy.vector.VECTOR(dim=128), nullable=False),
    sa.CheckConstraint("kind IN ('melody', 'harmony')", name=op.f('ck_similarity_windows_kind')),
    sa.CheckConstraint('(reference_tune_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_similarity_windows_one_source')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_similarity_windows_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference_tune_id'], ['reference_tunes.id'], name=op.f('fk_similarity_windows_reference_tune_id_reference_tunes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_similarity_windows'))
    )
    op.create_index('ix_similarity_windows_embedding_hnsw', 'similarity_windows', ['embedding'], unique=False, postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.create_index('ix_similarity_windows_project_version', 'similarity_windows', ['project_id', 'version_number'], unique=False)
    op.create_index(op.f('ix_similarity_windows_reference_tune_id'), 'similarity_windows', ['reference_tune_id'], unique=False)
    op.create_table('library_presets',
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('program', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('is_drum', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('soundfont_id', sa.Uuid(), nullable=True),
    sa.Column('bank', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('preset_number', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('effects', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('mix', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_library_presets_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['soundfont_id'], ['library_soundfonts.id'], name=op.f('fk_library_presets_soundfont_id_library_soundfonts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_presets'))
    )
    op.create_index('ix_library_presets_name_trgm', 'library_presets', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index(op.f('ix_library_presets_owner_id'), 'library_presets', ['owner_id'], unique=False)
    op.create_table('library_sample_shares',
    sa.Column('sample_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_library_sample_shares_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sample_id'], ['library_samples.id'], name=op.f('fk_library_sample_shares_sample_id_library_samples'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sample_id', 'project_id', name=op.f('pk_library_sample_shares'))
    )
    op.create_index(op.f('ix_library_sample_shares_project_id'), 'library_sample_shares', ['project_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_library_sample_shares_project_id'), table_name='library_sample_shares')
    op.drop_table('library_sample_shares')
    op.drop_index(op.f('ix_library_presets_owner_id'), table_name='library_presets')
    op.drop_index('ix_library_presets_name_trgm', table_name='library_presets', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_table('library_presets')
    op.drop_index(op.f('ix_similarity_windows_reference_tune_id'), table_name='similarity_windows')
    op.drop_index('ix_similarity_windows_project_version', table_name='similarity_windows')
    op.drop_index('ix_similarity_windows_embedding_hnsw', table_name='similarity_windows', postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.drop_table('similarity_windows')
    op.drop_table('similarity_indexed_versions')
    op.drop_index(op.f('ix_library_soundfonts_owner_id'), table_name='library_soundfonts')
    op.drop_table('library_soundfonts')
    op.drop_index('ix_library_samples_search_trgm', table_name='library_samples', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_library_samples_owner_id'), table_name='library_samples')
    op.drop_table('library_samples')
    op.drop_index('ix_collab_visits_project_started', table_name='collab_visits')
    op.drop_table('collab_visits')
    op.drop_table('reference_tunes')
