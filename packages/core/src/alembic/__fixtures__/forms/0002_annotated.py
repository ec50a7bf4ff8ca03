"""Add account status
with a message on two lines

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-10 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("status", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "status")
