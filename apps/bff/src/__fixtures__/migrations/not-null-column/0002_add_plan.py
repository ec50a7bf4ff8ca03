"""every account has a plan

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02 00:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.add_column("accounts", sa.Column("plan", sa.String(20), nullable=False))
