"""work on branch a1

Revision ID: a1
Revises: 0001
Create Date: 2026-01-03 00:00:00
"""
revision = "a1"
down_revision = "0001"


def upgrade():
    pass
