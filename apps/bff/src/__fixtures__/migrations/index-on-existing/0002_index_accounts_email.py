"""index accounts by email

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02 00:00:00
"""
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_index("ix_accounts_email_lower", "accounts", ["email"])
