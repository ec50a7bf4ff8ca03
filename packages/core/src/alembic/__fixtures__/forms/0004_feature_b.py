'''feature b, which needs feature a's index

Revision ID: 0004
Revises: 0002
Create Date: 2025-11-13 08:00:00.000000
'''
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = "feature_b"
depends_on = "feature_a"


def upgrade():
    pass


def downgrade():
    pass
