"""right side

Revision ID: 0007
Revises: 0005
Create Date: 2025-12-01 09:00:00.000000
"""
REVISION_ID = "0007"
revision = REVISION_ID
down_revision = "00" "05"
branch_labels = ()
depends_on = []


def upgrade():
    pass
