"""indexes for every filter of the sharing rule and the staff pages (issue 14)

- the association tables by member: the sharing rule asks "which rows chose this member"
  (`item_person`, `published_item_person`, `published_item_consent`, `appointment_person`,
  `contact_person`, `question_reader`); their primary keys start with the object's id, so
  without these every family page read the whole table;
- `consent` by recipient: the draft's consents withhold a published item;
- `appointment` by case and start (replaces the index by case alone): the family's lists and
  the caseload's next appointment;
- `audit_event` by case and time (replaces the index by case alone): "who opened our file",
  the caseload's last family activity.

Revision ID: f3b9d1c7e482
Revises: c4f1a8e2d903
Create Date: 2026-11-30 18:00:00
"""
from alembic import op

revision = 'f3b9d1c7e482'
down_revision = "d5e8b1c3a7f4"
branch_labels = None
depends_on = None

BY_MEMBER = ('item_person', 'published_item_person', 'published_item_consent', 'appointment_person',
             'contact_person', 'question_reader')


def upgrade() -> None:
    for table in BY_MEMBER:
        op.create_index(f'ix_{table}_member_id', table, ['member_id'], unique=False)
    op.create_index('ix_consent_recipient_id', 'consent', ['recipient_id'], unique=False)
    op.create_index('ix_appointment_case_id_starts_at', 'appointment', ['case_id', 'starts_at'], unique=False)
    op.drop_index('ix_appointment_case_id', table_name='appointment')
    op.create_index('ix_audit_event_case_id_at', 'audit_event', ['case_id', 'at'], unique=False)
    op.drop_index('ix_audit_event_case_id', table_name='audit_event')


def downgrade() -> None:
    op.create_index('ix_audit_event_case_id', 'audit_event', ['case_id'], unique=False)
    op.drop_index('ix_audit_event_case_id_at', table_name='audit_event')
    op.create_index('ix_appointment_case_id', 'appointment', ['case_id'], unique=False)
    op.drop_index('ix_appointment_case_id_starts_at', table_name='appointment')
    op.drop_index('ix_consent_recipient_id', table_name='consent')
    for table in reversed(BY_MEMBER):
        op.drop_index(f'ix_{table}_member_id', table_name=table)
