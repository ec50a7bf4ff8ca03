"""
Revision ID: 0006
Revises: 0005
Create Date: 2025-12-01 08:00:00.000000

"""
revision = u'0006'  # a unicode literal, as Python 2 era scripts wrote them
down_revision = '0005'


def upgrade():
    pass
