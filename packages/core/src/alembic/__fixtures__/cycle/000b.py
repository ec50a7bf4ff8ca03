revision = '000b'
down_revision = '000a'
