"""add provider middle name

Revision ID: 20260115_0200
Revises: 20260101_0000
Create Date: 2026-01-15 02:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "20260115_0200"
down_revision: Union[str, None] = "20260101_0000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("providers", sa.Column("middle_name", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("providers", "middle_name")
