"""builds on a script that was never committed

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-10 00:00:00
"""
revision = '0003'
down_revision = '0002'
