"""The closed vocabularies of the domain (DESIGN.md §§ 1–4).

Values are stored as plain strings (non-native enums) so that adding a value is a
code change, not a database type migration.
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    caseworker = "caseworker"
    lead = "lead"
    admin = "admin"
    head = "head"  # department head: the office's evaluation, aggregates only, no case


class Phase(StrEnum):
    clarification = "clarification"
    planning = "planning"
    preparation = "preparation"
    return_ = "return"
    aftercare = "aftercare"
    closed = "closed"


class MemberKind(StrEnum):
    parent = "parent"
    youth = "youth"
    child = "child"


class Audience(StrEnum):
    """Who in the family may see an object (DESIGN.md § 3)."""

    family = "family"
    adults = "adults"
    people = "people"
    staff = "staff"


class ItemKind(StrEnum):
    goal = "goal"
    step = "step"
    milestone = "milestone"


class ItemStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"


class Owner(StrEnum):
    """Who does a plan item."""

    family = "family"
    parents = "parents"
    child = "child"
    caseworker = "caseworker"
    provider = "provider"
    network = "network"


class AppointmentType(StrEnum):
    plan_conference = "plan_conference"
    visit = "visit"
    overnight = "overnight"
    court = "court"
    therapy = "therapy"
    school = "school"
    other = "other"


class AppointmentStatus(StrEnum):
    scheduled = "scheduled"
    moved = "moved"
    cancelled = "cancelled"


class ContactType(StrEnum):
    caseworker = "caseworker"
    deputy = "deputy"
    provider = "provider"
    network = "network"
    service = "service"
    emergency = "emergency"


class NotificationKind(StrEnum):
    """Why someone is told that there is something in the portal (portal.notifications)."""

    # to family members
    new_version = "new_version"
    appointment_new = "appointment_new"
    appointment_changed = "appointment_changed"
    appointment_cancelled = "appointment_cancelled"
    reply = "reply"
    reminder_day_before = "reminder_day_before"
    reminder_morning = "reminder_morning"
    checkin_due = "checkin_due"  # a neutral reminder: a check-in is waiting (portal.checkins)
    # to staff: at once
    safety_alert = "safety_alert"
    alert_escalation = "alert_escalation"
    # to staff: collected into the digest
    question = "question"
    appointment_answer = "appointment_answer"
    disagreement = "disagreement"
    delivery_failed = "delivery_failed"


class Channel(StrEnum):
    email = "email"
    push = "push"


class DeliveryState(StrEnum):
    pending = "pending"  # waiting for its first or next attempt
    sending = "sending"  # claimed by a worker until `lease_until`
    sent = "sent"
    failed = "failed"  # refused for good, or still not through after the bounded time
    dropped = "dropped"  # not sent: the recipient may no longer receive it


class Placement(StrEnum):
    """Where a child lived before going home (the kind of care, SGB VIII)."""

    residential = "residential"  # Heimerziehung, § 34
    foster = "foster"  # Vollzeitpflege, § 33
    custody = "custody"  # Inobhutnahme, § 42
    other = "other"


class ReentryReason(StrEnum):
    """Why a child who had gone home came back into care (a category, never free text)."""

    safety = "safety"  # a risk to the child's safety (Kindeswohlgefährdung)
    family_crisis = "family_crisis"  # a crisis of the parents (illness, addiction, housing)
    child_needs = "child_needs"  # the child's needs could not be met at home
    family_request = "family_request"  # the family asked for it
    other = "other"


class CheckinRhythm(StrEnum):
    """How often a case's check-ins are asked (portal.checkins)."""

    weekly = "weekly"
    fortnightly = "fortnightly"
