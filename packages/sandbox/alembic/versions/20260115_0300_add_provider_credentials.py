"""add provider_credentials table for third-party portal logins

Revision ID: 20260115_0300
Revises: 20260115_0200
Create Date: 2026-01-15 03:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "20260115_0300"
down_revision: Union[str, None] = "20260115_0200"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "provider_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("credential_type", sa.String(length=20), nullable=True),
        sa.Column("username", sa.Text(), nullable=True),
        sa.Column("password", sa.Text(), nullable=True),  # encrypted at rest by the app
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("data_source", sa.String(length=50), server_default="manual_entry", nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("now()"), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("now()"), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), server_default=sa.text("false"), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "credential_type IN ('FCVS', 'AMA', 'AOA', 'IMLC', 'GMAIL', 'OTHER')",
            name="ck_provider_credentials_credential_type",
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_provider_credentials_provider_id"), "provider_credentials", ["provider_id"], unique=False)
    op.create_index(
        op.f("ix_provider_credentials_organization_id"), "provider_credentials", ["organization_id"], unique=False
    )
    op.create_index(
        op.f("ix_provider_credentials_credential_type"), "provider_credentials", ["credential_type"], unique=False
    )
    op.create_index(
        "ix_provider_credentials_provider_id_is_deleted",
        "provider_credentials",
        ["provider_id", "is_deleted"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_provider_credentials_provider_id_is_deleted", table_name="provider_credentials")
    op.drop_index(op.f("ix_provider_credentials_credential_type"), table_name="provider_credentials")
    op.drop_index(op.f("ix_provider_credentials_organization_id"), table_name="provider_credentials")
    op.drop_index(op.f("ix_provider_credentials_provider_id"), table_name="provider_credentials")
    op.drop_table("provider_credentials")
