"""§ 65 SGB VIII as a domain module, without HTTP: who may consent, and what a consent changes.

What a member then sees is asked of `portal.sharing` (the one rule), never re-derived here.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import sharing
from portal.models import Audience, AuditEvent, ItemKind, MemberKind, Role
from portal.staff.operations import consent as consent_ops
from tests.factories import make_case, make_consent, make_item, make_member, make_staff, publish_plan


@pytest.fixture
def family(session):
    caseworker = make_staff(session, Role.caseworker)
    case = make_case(session, team=caseworker.team, primary_caseworker=caseworker)
    mother = make_member(session, case, MemberKind.parent)
    father = make_member(session, case, MemberKind.parent)
    youth = make_member(session, case, MemberKind.youth)
    return case, caseworker, mother, father, youth


def sees(session, member, item) -> bool:
    return sharing.Viewer(session, member).item(item.id) is not None


def test_only_the_person_who_entrusted_an_item_can_consent(session, family):
    case, caseworker, mother, father, youth = family
    item = make_item(session, case, Audience.adults, entrusted_by=mother)
    with pytest.raises(consent_ops.ConsentRefused) as refused:
        consent_ops.record_consent(session, case, item, father, [father], by=caseworker)
    assert refused.value.reason == consent_ops.NOT_THE_ENTRUSTING_PERSON
    assert refused.value.entrusted_by is mother
    assert item.consents == []


def test_an_item_nobody_entrusted_needs_no_consent(session, family):
    case, caseworker, mother, father, _youth = family
    item = make_item(session, case, Audience.adults)
    with pytest.raises(consent_ops.ConsentRefused) as refused:
        consent_ops.record_consent(session, case, item, mother, [father], by=caseworker)
    assert refused.value.reason == consent_ops.NOBODY_ENTRUSTED


def test_a_consent_needs_someone_it_covers_and_never_covers_the_entrusting_person(session, family):
    case, caseworker, mother, _father, _youth = family
    item = make_item(session, case, Audience.adults, entrusted_by=mother)
    with pytest.raises(consent_ops.ConsentRefused) as refused:
        consent_ops.record_consent(session, case, item, mother, [mother], by=caseworker)
    assert refused.value.reason == consent_ops.NOBODY_CHOSEN


def test_a_youths_consent_shares_with_a_parent_after_publishing_and_withdrawal_applies_at_once(session, family):
    case, caseworker, mother, father, youth = family
    item = make_item(session, case, Audience.family, kind=ItemKind.step, entrusted_by=youth)
    publish_plan(session, case, caseworker)
    assert sees(session, youth, item) and not sees(session, mother, item)

    [consent] = consent_ops.record_consent(session, case, item, youth, [mother], by=caseworker)
    assert not sees(session, mother, item), "a new consent waits for publishing"
    publish_plan(session, case, caseworker)
    assert sees(session, mother, item) and not sees(session, father, item)

    consent_ops.withdraw_consent(session, case, item, consent, by=caseworker)
    assert not sees(session, mother, item), "withdrawal applies on the very next request"
    assert sees(session, youth, item)


def test_between_the_parents_as_well(session, family):
    case, caseworker, mother, father, _youth = family
    item = make_item(session, case, Audience.adults, entrusted_by=mother)
    publish_plan(session, case, caseworker)
    assert not sees(session, father, item)
    consent_ops.record_consent(session, case, item, mother, [father], by=caseworker)
    publish_plan(session, case, caseworker)
    assert sees(session, father, item)


def test_a_consent_left_from_an_earlier_entrusting_person_is_recorded_anew(session, family):
    case, caseworker, mother, father, youth = family
    item = make_item(session, case, Audience.family, entrusted_by=mother)
    make_consent(session, item, youth, given_by=mother)
    item.entrusted_by = father
    session.flush()
    assert consent_ops.effective_consents(item) == []
    consent_ops.record_consent(session, case, item, father, [youth], by=caseworker)
    assert [(c.given_by_id, c.recipient_id) for c in item.consents] == [(father.id, youth.id)]
    assert consent_ops.effective_consents(item) == item.consents


def test_recording_and_withdrawing_are_audited_without_content(session, family):
    case, caseworker, mother, father, _youth = family
    item = make_item(session, case, Audience.adults, entrusted_by=mother)
    [consent] = consent_ops.record_consent(session, case, item, mother, [father], by=caseworker)
    consent_ops.withdraw_consent(session, case, item, consent, by=caseworker)
    events = session.execute(sa.select(AuditEvent.action, AuditEvent.actor, AuditEvent.object_id)
                             .where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [("consent.record", caseworker.principal_id, item.id),
                                         ("consent.withdraw", caseworker.principal_id, item.id)]
