"""add STAGE_CHANGED to coordinator_action_type (kanban stage tracking)

Revision ID: 20260127_0100
Revises: 20260115_0300
Create Date: 2026-01-27 01:00:00

"""
from alembic import op


revision = '20260127_0100'
down_revision = '20260115_0300'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12.
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE coordinator_action_type ADD VALUE 'stage_changed'")


def downgrade():
    # PostgreSQL cannot drop a value from an enum; leaving it in place is harmless.
    pass
