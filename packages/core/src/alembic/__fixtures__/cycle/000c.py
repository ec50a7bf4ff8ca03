revision = '000c'
down_revision = ('000b', '0001')
