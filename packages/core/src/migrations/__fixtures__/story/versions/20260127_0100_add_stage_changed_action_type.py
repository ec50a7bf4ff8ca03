"""add STAGE_CHANGED coordinator action type

Revision ID: 20260127_0100
Revises: 20260115_0300
Create Date: 2026-01-27 01:00:00.000000

"""
from typing import Sequence, Union

from alembic import op


revision: str = "20260127_0100"
down_revision: Union[str, None] = "20260115_0300"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A new enum value cannot be used in the transaction that adds it; commit it on its own.
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE coordinator_action_type ADD VALUE IF NOT EXISTS 'stage_changed'")


def downgrade() -> None:
    # PostgreSQL cannot drop a value from an enum type.
    pass
