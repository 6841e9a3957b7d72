"""§ 65 SGB VIII: what a family member entrusted goes to others only with their consent.

The rule that decides what a member sees lives in `portal.sharing` (consent is
one of its conditions; withdrawing applies at once, a new consent after
publishing). This module is the other half: who may give a consent, for whom,
and withdrawing it, each audited. Only the person who entrusted an item can
consent to sharing it, also between the two parents and from a youth to the
parents; a consent left from an earlier entrusting person does not count and is
recorded anew when the current one consents.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.db import utcnow
from portal.models import Case, Consent, Member, PlanItem, StaffUser


class ConsentRefused(Exception):
    """A consent that cannot be recorded; `reason` says why in words for the caseworker."""

    def __init__(self, reason: str, entrusted_by: Member | None = None):
        super().__init__(reason)
        self.reason = reason
        self.entrusted_by = entrusted_by


NOBODY_ENTRUSTED = "nobody_entrusted"
NOT_THE_ENTRUSTING_PERSON = "not_the_entrusting_person"
NOBODY_CHOSEN = "nobody_chosen"


def effective_consents(item: PlanItem) -> list[Consent]:
    """The consents that count: given by the person who entrusted the item now."""
    return [c for c in item.consents if item.entrusted_by_id is not None and c.given_by_id == item.entrusted_by_id]


def record_consent(session: Session, case: Case, item: PlanItem, given_by: Member | None,
                   recipients: list[Member], by: StaffUser) -> list[Consent]:
    """`given_by` consents that each of `recipients` may see `item` (once published)."""
    if item.entrusted_by_id is None:
        raise ConsentRefused(NOBODY_ENTRUSTED)
    if given_by is None or given_by.id != item.entrusted_by_id:
        raise ConsentRefused(NOT_THE_ENTRUSTING_PERSON, item.entrusted_by)
    chosen = [m for m in recipients if m.case_id == case.id and m.id != item.entrusted_by_id]
    if not chosen:
        raise ConsentRefused(NOBODY_CHOSEN)
    existing = {c.recipient_id: c for c in item.consents}
    recorded = []
    for recipient in chosen:
        consent = existing.get(recipient.id)
        if consent is None:
            consent = Consent(given_by=given_by, recipient=recipient, recorded_at=utcnow(), recorded_by=by)
            item.consents.append(consent)
        elif consent.given_by_id != given_by.id:  # left from an earlier entrusting person
            consent.given_by, consent.recorded_at, consent.recorded_by = given_by, utcnow(), by
        recorded.append(consent)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError:  # the same consent, recorded by someone else a moment ago
        session.expire(item, ["consents"])
    audit.record(session, audit.Action.consent_record, case_id=case.id, obj=item, actor=by)
    session.flush()
    return recorded


def withdraw_consent(session: Session, case: Case, item: PlanItem, consent: Consent, by: StaffUser) -> None:
    """Withdrawn consent applies at once: the sharing rule holds the item back on the next request."""
    item.consents.remove(consent)
    audit.record(session, audit.Action.consent_withdraw, case_id=case.id, obj=item, actor=by)
    session.flush()
