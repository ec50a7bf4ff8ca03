"""base

Revision ID: 0001
Revises:
Create Date: 2026-01-01 00:00:00
"""
revision = '0001'
down_revision = None
