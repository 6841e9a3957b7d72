"""checkins: "How are things at home?" — schedules, who is asked, answers, warnings seen (issue 15)

- checkin_schedule: per case, the rhythm (weekly, fortnightly) counted from anchor_on
  (a Monday in the office's time zone), with a revision for stale saves;
- checkin_member: per member, whether they are asked and since which period;
- checkin: one answer per member and period (a child's face and topic; a parent's or
  youth's scores and sentence), the case's phase then, and the answer on the common
  1–10 scale; an answer replaced by a later one of the same period keeps replaced_at
  (a partial unique index allows one current answer per member and period);
- checkin_warning_seen: an early warning the caseworker marked as seen, with a note.

Revision ID: d5e8b1c3a7f4
Revises: c4f1a8e2d903
Create Date: 2026-11-30 16:00:00
"""
import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = 'd5e8b1c3a7f4'
down_revision = "d2a9f6b3c871"
branch_labels = None
depends_on = None

PHASES = ('clarification', 'planning', 'preparation', 'return', 'aftercare', 'closed')


def upgrade() -> None:
    op.create_table(
        'checkin_schedule',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('rhythm', sa.Enum('weekly', 'fortnightly', name='checkinrhythm', native_enum=False, length=24),
                  nullable=False),
        sa.Column('anchor_on', sa.Date(), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_checkin_schedule_case_id_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'],
                                name=op.f('fk_checkin_schedule_updated_by_id_staff_user')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_checkin_schedule')),
    )
    op.create_table(
        'checkin_member',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('since_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_checkin_member_case_id_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_checkin_member_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_checkin_member')),
    )
    op.create_index(op.f('ix_checkin_member_case_id'), 'checkin_member', ['case_id'])
    op.create_table(
        'checkin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('period_on', sa.Date(), nullable=False),
        sa.Column('answered_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('phase', sa.Enum(*PHASES, name='phase', native_enum=False, length=24), nullable=False),
        sa.Column('face', sa.Integer(), nullable=True),
        sa.Column('home', sa.Integer(), nullable=True),
        sa.Column('together', sa.Integer(), nullable=True),
        sa.Column('help', sa.Integer(), nullable=True),
        sa.Column('level', sa.Float(), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=True),
        sa.Column('topic', sa.String(length=24), nullable=True),
        sa.Column('replaced_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_checkin_case_id_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_checkin_member_id_member'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    )
    op.create_index(op.f('ix_checkin_case_id'), 'checkin', ['case_id'])
    op.create_index(op.f('ix_checkin_member_id'), 'checkin', ['member_id'])
    op.create_index('uq_checkin_current', 'checkin', ['member_id', 'period_on'], unique=True,
                    sqlite_where=sa.text('replaced_at IS NULL'), postgresql_where=sa.text('replaced_at IS NULL'))
    op.create_table(
        'checkin_warning_seen',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('seen_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('seen_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_checkin_warning_seen_case_id_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_checkin_warning_seen_member_id_member'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['seen_by_id'], ['staff_user.id'],
                                name=op.f('fk_checkin_warning_seen_seen_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_warning_seen')),
        sa.UniqueConstraint('member_id', 'reason', 'key', name='uq_checkin_warning_seen_warning'),
    )
    op.create_index(op.f('ix_checkin_warning_seen_case_id'), 'checkin_warning_seen', ['case_id'])
    op.create_index(op.f('ix_checkin_warning_seen_member_id'), 'checkin_warning_seen', ['member_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_checkin_warning_seen_member_id'), table_name='checkin_warning_seen')
    op.drop_index(op.f('ix_checkin_warning_seen_case_id'), table_name='checkin_warning_seen')
    op.drop_table('checkin_warning_seen')
    op.drop_index('uq_checkin_current', table_name='checkin')
    op.drop_index(op.f('ix_checkin_member_id'), table_name='checkin')
    op.drop_index(op.f('ix_checkin_case_id'), table_name='checkin')
    op.drop_table('checkin')
    op.drop_index(op.f('ix_checkin_member_case_id'), table_name='checkin_member')
    op.drop_table('checkin_member')
    op.drop_table('checkin_schedule')
