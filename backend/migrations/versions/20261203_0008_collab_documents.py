"""Live co-editing: each project's live document (a snapshot) and the updates appended
since, in commit order per project (ariaforge.collab.store).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collab_documents",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=False),
        sa.Column("snapshot_update_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("materialised_update_id", sa.BigInteger(), server_default="0",
                  nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_collab_documents_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_collab_documents")),
    )
    op.create_table(
        "collab_updates",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_collab_updates_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["collab_documents.project_id"],
            name=op.f("fk_collab_updates_project_id_collab_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collab_updates")),
    )
    op.create_index("ix_collab_updates_project_id_id", "collab_updates", ["project_id", "id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_collab_updates_project_id_id", table_name="collab_updates")
    op.drop_table("collab_updates")
    op.drop_table("collab_documents")
