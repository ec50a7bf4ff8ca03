"""merge left and right

Revision ID: 0008
Revises: 0006, 0007
Create Date: 2025-12-05 10:00:00.000000

"""
from typing import Sequence, Union

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = [
    "0006",  # left
    "0007",  # right
]
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass
