"""family pages: appointments at home, interpreter requests, earlier answers, calendar reminders

- appointment.at_home: at the family's own home (no address, no maps link).
- appointment_answer.interpreter: the member asks for an interpreter.
- appointment_answer_change: an earlier answer, kept when the member answers again.
- member.calendar_reminders: a VALARM in calendar entries, on unless switched off.

Revision ID: d2a9f6b3c871
Revises: c4f1a8e2d903
Create Date: 2026-11-30 10:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd2a9f6b3c871'
down_revision = 'c4f1a8e2d903'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_home', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('appointment_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interpreter', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_reminders', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        'appointment_answer_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('coming', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('interpreter', sa.Boolean(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['appointment_answer.id'],
                                name=op.f('fk_appointment_answer_change_answer_id_appointment_answer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_answer_change')),
    )
    op.create_index(op.f('ix_appointment_answer_change_answer_id'), 'appointment_answer_change', ['answer_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_appointment_answer_change_answer_id'), table_name='appointment_answer_change')
    op.drop_table('appointment_answer_change')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('calendar_reminders')
    with op.batch_alter_table('appointment_answer', schema=None) as batch_op:
        batch_op.drop_column('interpreter')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_column('at_home')
