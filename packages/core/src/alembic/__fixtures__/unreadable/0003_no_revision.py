"""a helper module someone put in versions/"""
import sqlalchemy as sa


def make_column(name):
    return sa.Column(name, sa.Text())
