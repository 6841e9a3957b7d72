"""workspace: handover notes, what the caseworker handled, who checked a translation

- case_handover: a case handed from one caseworker to another by a lead, with the
  note the new caseworker reads on top of the case (note, from, to, by, at).
- appointment_answer.handled_at / handled_by_id and version_response.handled_at /
  handled_by_id: the cross-case inbox marks what the family answered as handled,
  and shows who handled it and when.
- content_translation.checked_by / checked_on: a translation that came back from
  the interpreter service is checked by the named interpreter on a date.

Revision ID: c4f1a8e2d903
Revises: e7a4c2d9b1f0
Create Date: 2026-11-30 15:00:00
"""
import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = 'c4f1a8e2d903'
down_revision = 'e7a4c2d9b1f0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_handover',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('from_id', sa.Integer(), nullable=True),
        sa.Column('to_id', sa.Integer(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_handover_case_id_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['from_id'], ['staff_user.id'], name=op.f('fk_case_handover_from_id_staff_user')),
        sa.ForeignKeyConstraint(['to_id'], ['staff_user.id'], name=op.f('fk_case_handover_to_id_staff_user')),
        sa.ForeignKeyConstraint(['by_id'], ['staff_user.id'], name=op.f('fk_case_handover_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_handover')),
    )
    op.create_index(op.f('ix_case_handover_case_id'), 'case_handover', ['case_id'])
    for table in ('appointment_answer', 'version_response'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('handled_at', UTCDateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_handled_by_id_staff_user'), 'staff_user',
                                        ['handled_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('content_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('checked_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('content_translation', schema=None) as batch_op:
        batch_op.drop_column('checked_on')
        batch_op.drop_column('checked_by')
    for table in ('version_response', 'appointment_answer'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_handled_by_id_staff_user'), type_='foreignkey')
            batch_op.drop_column('handled_by_id')
            batch_op.drop_column('handled_at')
    op.drop_index(op.f('ix_case_handover_case_id'), table_name='case_handover')
    op.drop_table('case_handover')
