"""Plain-words labels for the domain's vocabularies, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.models import Audience, ItemKind, ItemStatus, MemberKind, Owner, Phase

AUDIENCE_LABELS = {
    Audience.family: _l("Whole family"),
    Audience.adults: _l("Parents only"),
    Audience.people: _l("Only the people chosen below"),
    Audience.staff: _l("Office only — not shown to the family"),
}
KIND_LABELS = {ItemKind.goal: _l("Goal"), ItemKind.step: _l("Step"), ItemKind.milestone: _l("Milestone")}
MEMBER_KIND_LABELS = {MemberKind.parent: _l("Parent"), MemberKind.youth: _l("Youth (12–17)"), MemberKind.child: _l("Child (under 12)")}
STATUS_LABELS = {ItemStatus.open: _l("Open"), ItemStatus.in_progress: _l("In progress"), ItemStatus.done: _l("Done")}
OWNER_LABELS = {
    Owner.family: _l("The family"),
    Owner.parents: _l("The parents"),
    Owner.child: _l("The child"),
    Owner.caseworker: _l("The caseworker"),
    Owner.provider: _l("The service provider"),
    Owner.network: _l("The family's network"),
}

PHASE_LABELS = {
    Phase.clarification: _l("Getting to know each other"),
    Phase.planning: _l("Planning together"),
    Phase.preparation: _l("Getting ready for the return"),
    Phase.return_: _l("Return home"),
    Phase.aftercare: _l("Support after the return"),
    Phase.closed: _l("Closed"),
}

FIELD_LABELS = {
    "kind": _l("kind"),
    "parent_item_id": _l("goal"),
    "text": _l("text"),
    "simple_text": _l("simple text"),
    "pictogram": _l("picture"),
    "owner": _l("who does it"),
    "due_on": _l("due date"),
    "status": _l("status"),
    "position": _l("order"),
    "audience": _l("who sees it"),
    "people": _l("chosen people"),
    "entrusted_by_id": _l("entrusted by"),
    "consent_recipients": _l("consent"),
    "translations": _l("translations"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def template_labels() -> dict:
    return {
        "audience_labels": AUDIENCE_LABELS,
        "kind_labels": KIND_LABELS,
        "member_kind_labels": MEMBER_KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "owner_labels": OWNER_LABELS,
        "phase_labels": PHASE_LABELS,
    }
