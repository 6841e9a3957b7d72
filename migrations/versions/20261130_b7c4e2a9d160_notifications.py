"""notifications: outbox, messages, deliveries, push subscriptions, opt-outs, member e-mail

The outbox (`notification`) is written in the transaction of the event that
causes it; the worker bundles it into a `message` and sends one `delivery` per
channel. No table here holds content: kinds, ids, times and states only.

Revision ID: b7c4e2a9d160
Revises: b7c2e9a41d35
Create Date: 2026-11-30 08:19:18.905639
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = 'b7c4e2a9d160'
down_revision = 'b7c2e9a41d35'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(member_id IS NULL) <> (staff_id IS NULL)', name=op.f('ck_message_one_recipient')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_message_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_message_staff_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('uuid', name=op.f('uq_message_uuid'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_staff_id'), ['staff_id'], unique=False)

    op.create_table('notification_opt_out',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=24), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notification_opt_out_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'topic', name=op.f('pk_notification_opt_out'))
    )
    op.create_table('push_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=2048), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_push_subscription_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscription')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscription_endpoint'))
    )
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscription_member_id'), ['member_id'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'push', name='channel', native_enum=False, length=24), nullable=False),
    sa.Column('push_subscription_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sending', 'sent', 'failed', 'dropped', name='deliverystate', native_enum=False, length=24), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_delivery_message_id_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['push_subscription_id'], ['push_subscription.id'], name=op.f('fk_delivery_push_subscription_id_push_subscription'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_state'), ['state'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new_version', 'appointment_new', 'appointment_changed', 'appointment_cancelled', 'reply', 'reminder_day_before', 'reminder_morning', 'safety_alert', 'alert_escalation', 'question', 'appointment_answer', 'disagreement', 'delivery_failed', name='notificationkind', native_enum=False, length=24), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('dropped', sa.String(length=24), nullable=True),
    sa.CheckConstraint('(member_id IS NULL) <> (staff_id IS NULL)', name=op.f('ck_notification_one_recipient')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_notification_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notification_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_notification_message_id_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_notification_staff_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_dedupe_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_staff_id'))
        batch_op.drop_index(batch_op.f('ix_notification_message_id'))
        batch_op.drop_index(batch_op.f('ix_notification_member_id'))
        batch_op.drop_index(batch_op.f('ix_notification_case_id'))

    op.drop_table('notification')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_state'))
        batch_op.drop_index(batch_op.f('ix_delivery_message_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscription_member_id'))

    op.drop_table('push_subscription')
    op.drop_table('notification_opt_out')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_staff_id'))
        batch_op.drop_index(batch_op.f('ix_message_member_id'))
        batch_op.drop_index(batch_op.f('ix_message_created_at'))

    op.drop_table('message')
