"""add orders (copied, id not changed)"""
revision = '0002'
down_revision = '0001'
