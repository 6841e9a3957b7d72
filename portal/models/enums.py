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
