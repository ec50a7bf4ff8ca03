"""work on branch b2

Revision ID: b2
Revises: 0001
Create Date: 2026-01-03 00:00:00
"""
revision = "b2"
down_revision = "0001"


def upgrade():
    pass
