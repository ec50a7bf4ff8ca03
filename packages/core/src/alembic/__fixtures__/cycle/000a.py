revision = '000a'
down_revision = '000c'
