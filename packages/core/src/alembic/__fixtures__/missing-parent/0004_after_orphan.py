revision = '0004'
down_revision = '0003'
