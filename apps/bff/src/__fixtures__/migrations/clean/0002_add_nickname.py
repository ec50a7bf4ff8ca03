"""add a nullable nickname, indexed concurrently

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02 00:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.add_column("accounts", sa.Column("nickname", sa.String(100), nullable=True))
    with op.get_context().autocommit_block():
        op.create_index("ix_accounts_nickname", "accounts", ["nickname"], postgresql_concurrently=True)
