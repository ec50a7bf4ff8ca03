"""BlueShift provider import fields and payment_methods

Adds the demographic and credentialing fields the BlueShift import needs
(all nullable: no rewrite of existing rows) and encrypted payment methods.

Revision ID: 20260131_0000
Revises: 7702d353e5b8
Create Date: 2026-01-31 00:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20260131_0000"
down_revision: Union[str, None] = "7702d353e5b8"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PROVIDER_COLUMNS = (
    "home_address",
    "home_city",
    "home_state",
    "home_zip",
    "place_of_birth",
    "height",
    "weight",
    "gender",
    "race",
    "previous_names",
    "name_change_documents",
    "citizenship_status",
    "green_card_uscis_number",
    "employer_start_date",
    "references",
    "fcvs_fid",
    "aoa_number",
    "disclosure_notes",
    "renewal_preferences",
    "cv_reference",
)


def upgrade() -> None:
    op.create_table(
        "payment_methods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("cc_type", sa.String(length=20), nullable=True),
        sa.Column("cc_number_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_expiry_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_cvv_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_name", sa.String(length=255), nullable=True),
        sa.Column("cc_billing_address", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("now()"), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("now()"), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), server_default=sa.text("false"), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_payment_methods_provider_id"), "payment_methods", ["provider_id"], unique=False)
    op.create_index(op.f("ix_payment_methods_organization_id"), "payment_methods", ["organization_id"], unique=False)

    op.add_column("providers", sa.Column("home_address", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("home_city", sa.String(length=100), nullable=True))
    op.add_column("providers", sa.Column("home_state", sa.String(length=2), nullable=True))
    op.add_column("providers", sa.Column("home_zip", sa.String(length=10), nullable=True))
    op.add_column("providers", sa.Column("place_of_birth", sa.String(length=255), nullable=True))
    op.add_column("providers", sa.Column("height", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("weight", sa.Integer(), nullable=True))
    op.add_column("providers", sa.Column("gender", sa.String(length=20), nullable=True))
    op.add_column("providers", sa.Column("race", sa.String(length=100), nullable=True))
    op.add_column("providers", sa.Column("previous_names", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("name_change_documents", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("citizenship_status", sa.String(length=100), nullable=True))
    op.add_column("providers", sa.Column("green_card_uscis_number", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("employer_start_date", sa.Date(), nullable=True))
    # "references" is a reserved word in PostgreSQL: SQLAlchemy quotes it, hand-written SQL must too.
    op.add_column("providers", sa.Column("references", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("providers", sa.Column("fcvs_fid", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("aoa_number", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("disclosure_notes", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("renewal_preferences", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("cv_reference", sa.Text(), nullable=True))

    op.add_column("licenses", sa.Column("portal_pin", sa.Text(), nullable=True))  # encrypted
    op.add_column("licenses", sa.Column("renewal_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("licenses", "renewal_notes")
    op.drop_column("licenses", "portal_pin")
    for column in reversed(PROVIDER_COLUMNS):
        op.drop_column("providers", column)
    op.drop_index(op.f("ix_payment_methods_organization_id"), table_name="payment_methods")
    op.drop_index(op.f("ix_payment_methods_provider_id"), table_name="payment_methods")
    op.drop_table("payment_methods")
