"""add orders (written on branch alice)

Revision ID: a1b2c3d4e5f6
Revises: 0001
Create Date: 2026-01-05 10:00:00
"""
revision = 'a1b2c3d4e5f6'
down_revision = '0001'
