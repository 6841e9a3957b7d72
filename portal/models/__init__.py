"""Typed SQLAlchemy models, one module per part of the domain."""
from portal.models.appointment import Appointment, AppointmentAnswer, AppointmentAnswerChange, appointment_person
from portal.models.audit import AuditEvent, DeletionRecord
from portal.models.care import CareRecord, CaseworkerChange
from portal.models.case import Case, CaseHandover, Invitation, Member, PhaseChange
from portal.models.checkin import Checkin, CheckinMember, CheckinSchedule, CheckinWarningSeen
from portal.models.contact import Contact, contact_person
from portal.models.enums import (
    AppointmentStatus,
    AppointmentType,
    Audience,
    Channel,
    CheckinRhythm,
    ContactType,
    DeliveryState,
    ItemKind,
    ItemStatus,
    MemberKind,
    NotificationKind,
    Owner,
    Phase,
    Placement,
    ReentryReason,
    Role,
)
from portal.models.message import Question, SafetyAlert, question_reader
from portal.models.notification import Delivery, Message, Notification, NotificationOptOut, PushSubscription
from portal.models.office import Office, Team
from portal.models.plan import (
    Consent,
    Plan,
    PlanItem,
    PlanVersion,
    PublishedItem,
    VersionResponse,
    item_person,
    plan_version_note_person,
    published_item_consent,
    published_item_person,
)
from portal.models.session import LoginSession
from portal.models.staff import RecoveryCode, StaffUser
from portal.models.translation import ContentTranslation

__all__ = [
    "Appointment", "AppointmentAnswer", "AppointmentAnswerChange", "AppointmentStatus", "AppointmentType", "Audience",
    "AuditEvent", "CareRecord", "Case", "CaseHandover", "CaseworkerChange", "Channel", "Checkin",
    "CheckinMember", "CheckinRhythm", "CheckinSchedule", "CheckinWarningSeen", "Consent", "Contact", "ContactType",
    "ContentTranslation", "DeletionRecord", "Delivery", "DeliveryState", "Invitation", "ItemKind", "ItemStatus",
    "LoginSession", "Member", "MemberKind", "Message", "Notification", "NotificationKind", "NotificationOptOut",
    "Office", "Owner", "Phase", "PhaseChange", "Placement", "Plan", "PlanItem", "PlanVersion", "PublishedItem",
    "PushSubscription", "Question", "RecoveryCode", "ReentryReason", "Role", "SafetyAlert",
    "StaffUser", "Team", "VersionResponse", "appointment_person", "contact_person",
    "item_person", "plan_version_note_person", "published_item_consent", "published_item_person", "question_reader",
]
