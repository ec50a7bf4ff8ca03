"""add invoices (written on branch bob)

Revision ID: f6e5d4c3b2a1
Revises: 0001
Create Date: 2026-01-06 10:00:00
"""
revision = 'f6e5d4c3b2a1'
down_revision = '0001'
