"""BlueShift provider fields and payment_methods

Revision ID: 20260131_0000
Revises: 7702d353e5b8
Create Date: 2026-01-31 00:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision: str = "20260131_0000"
down_revision: Union[str, None] = "7702d353e5b8"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "payment_methods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider_id", sa.Integer(), sa.ForeignKey("providers.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "organization_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("cc_type", sa.String(length=20), nullable=True),
        sa.Column("cc_number_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_expiry_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_cvv_encrypted", sa.Text(), nullable=True),
        sa.Column("cc_name", sa.String(length=255), nullable=True),
        sa.Column("cc_billing_address", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), server_default=sa.text("false"), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_payment_methods_provider_id", "payment_methods", ["provider_id"])
    op.create_index("ix_payment_methods_organization_id", "payment_methods", ["organization_id"])

    # BlueShift import: provider demographics (all nullable, so no table rewrite)
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
    op.add_column("providers", sa.Column("references", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("providers", sa.Column("fcvs_fid", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("aoa_number", sa.String(length=50), nullable=True))
    op.add_column("providers", sa.Column("disclosure_notes", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("renewal_preferences", sa.Text(), nullable=True))
    op.add_column("providers", sa.Column("cv_reference", sa.Text(), nullable=True))

    with op.batch_alter_table("licenses") as batch_op:
        batch_op.add_column(sa.Column("portal_pin", sa.Text(), nullable=True, comment="Encrypted"))
        batch_op.add_column(sa.Column("renewal_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("licenses") as batch_op:
        batch_op.drop_column("renewal_notes")
        batch_op.drop_column("portal_pin")
    for column in (
        "cv_reference", "renewal_preferences", "disclosure_notes", "aoa_number", "fcvs_fid", "references",
        "employer_start_date", "green_card_uscis_number", "citizenship_status", "name_change_documents",
        "previous_names", "race", "gender", "weight", "height", "place_of_birth", "home_zip", "home_state",
        "home_city", "home_address",
    ):
        op.drop_column("providers", column)
    op.drop_index("ix_payment_methods_organization_id", table_name="payment_methods")
    op.drop_index("ix_payment_methods_provider_id", table_name="payment_methods")
    op.drop_table("payment_methods")
