"""Coordinator actions log and coordinator_action_type enum

Revision ID: 20251110_1400
Revises: 9c3d7a5b2e4f
Create Date: 2025-11-10 14:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "20251110_1400"
down_revision = "9c3d7a5b2e4f"
branch_labels = None
depends_on = None

coordinator_action_type = postgresql.ENUM(
    "note_added",
    "document_requested",
    "license_renewed",
    "status_changed",
    "reminder_sent",
    name="coordinator_action_type",
)


def upgrade() -> None:
    op.create_table(
        "coordinator_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("coordinator_user_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("action_type", coordinator_action_type, nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=True),
        sa.ForeignKeyConstraint(["coordinator_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_coordinator_actions_provider_id_created_at",
        "coordinator_actions",
        ["provider_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_coordinator_actions_provider_id_created_at", table_name="coordinator_actions")
    op.drop_table("coordinator_actions")
    coordinator_action_type.drop(op.get_bind(), checkfirst=True)
