"""feature a starts here

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-12 08:00:00.000000

"""
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: tuple[str, ...] | None = ('feature_a',)
depends_on = None


def upgrade() -> None:
    op.create_index('ix_accounts_status', 'accounts', ['status'])


def downgrade() -> None:
    pass
