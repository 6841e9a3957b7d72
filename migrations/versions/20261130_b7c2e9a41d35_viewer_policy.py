"""viewer policy: the publish note's audience, calendar details by choice, agreement history

- plan_version.note_audience and plan_version_note_person: the note to the family
  has an audience like any item (existing notes stay with the whole family, as
  they were shown).
- member.calendar_details: place and kind of appointment reach calendar entries
  only when the member switches it on (off for everyone until they do).
- version_response loses its (version, member) unique constraint: answering again
  adds a row, so an earlier comment is kept.

Revision ID: b7c2e9a41d35
Revises: a1d7e0c4b9f2
Create Date: 2026-11-30 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b7c2e9a41d35'
down_revision = 'a1d7e0c4b9f2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_audience', sa.Enum('family', 'adults', 'people', 'staff', name='audience',
                                                               native_enum=False, length=24),
                                      nullable=False, server_default='family'))
    op.create_table(
        'plan_version_note_person',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_plan_version_note_person_member_id_member'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'],
                                name=op.f('fk_plan_version_note_person_version_id_plan_version'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('version_id', 'member_id', name=op.f('pk_plan_version_note_person')),
    )
    op.create_index(op.f('ix_plan_version_note_person_member_id'), 'plan_version_note_person', ['member_id'])
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_details', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('version_response', schema=None) as batch_op:
        batch_op.drop_constraint('uq_version_response_version_id', type_='unique')


def downgrade() -> None:
    # Keeps the newest answer per member and version, as the constraint demands.
    op.execute(
        "DELETE FROM version_response WHERE id NOT IN "
        "(SELECT MAX(id) FROM version_response GROUP BY version_id, member_id)"
    )
    with op.batch_alter_table('version_response', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_version_response_version_id', ['version_id', 'member_id'])
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('calendar_details')
    op.drop_index(op.f('ix_plan_version_note_person_member_id'), table_name='plan_version_note_person')
    op.drop_table('plan_version_note_person')
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_column('note_audience')
