import uuid

revision = uuid.uuid4().hex
down_revision = '0001'
