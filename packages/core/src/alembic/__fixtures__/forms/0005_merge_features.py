"""merge feature a and b

Revision ID: 0005
Revises: 0003, 0004
Create Date: 2025-11-20 12:00:00.000000

"""
revision = '0005'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
