"""the case's family revision: raised with every change a family page could show (issue 14)

`portal.family.page_cache` reuses a rendered family page while the revision it was
rendered at is still the case's.

Revision ID: a9c3e5f1b7d2
Revises: f3b9d1c7e482
Create Date: 2026-11-30 12:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'a9c3e5f1b7d2'
down_revision = 'f3b9d1c7e482'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.add_column(sa.Column('family_revision', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('case') as batch:
        batch.drop_column('family_revision')
