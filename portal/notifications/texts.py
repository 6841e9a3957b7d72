"""What a message says: that something is there, never what (DESIGN.md § 5b, SECURITY.md 34).

No name of a child, no plan text, no place, no appointment type; no case
reference in a subject line. A safety alert to staff names the case reference in
its body and links to the case, nothing more; the digest names references and
counts. Every text goes through gettext in the recipient's language; a child is
addressed as a child (message context "child").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext, ngettext, pgettext

from portal.i18n import text_direction
from portal.models import Case, MemberKind, Message, NotificationKind
from portal.notifications import preferences

K = NotificationKind


@dataclass
class Content:
    language: str
    subject: str
    lines: list[str]  # the neutral news, one per line
    link_intro: str
    link_text: str
    url: str
    footer: list[str] = field(default_factory=list)
    unsubscribe_intro: str | None = None
    unsubscribe_url: str | None = None
    push_title: str = ""
    push_body: str = ""

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    def text(self) -> str:
        parts = ["\n".join(self.lines), f"{self.link_intro}\n{self.url}", *self.footer]
        if self.unsubscribe_url:
            parts.append(f"{self.unsubscribe_intro}\n{self.unsubscribe_url}")
        return "\n\n".join(parts) + "\n"

    def html(self) -> str:
        return render_template("notifications/mail.html", content=self)


def render(message: Message, cases: dict[int, Case]) -> Content:
    """The content of `message` in its recipient's language (inside an app context)."""
    base = current_app.config["PORTAL_URL"]
    with current_app.test_request_context("/", base_url=base):
        if message.member is not None:
            language = message.member.language or "de"
            with force_locale(language):
                return _family(message, language)
        language = message.staff.language or "de"
        with force_locale(language):
            return _staff(message, cases, language)


# --- family -----------------------------------------------------------------------

def _family(message: Message, language: str) -> Content:
    member = message.member
    child = member.kind is MemberKind.child
    kinds = Counter(n.kind for n in message.notifications)
    lines = []
    if kinds[K.new_version]:
        lines.append(pgettext("child", "There is something new on your way home.") if child
                     else gettext("There is a new version of your plan."))
    if kinds[K.appointment_new]:
        lines.append(ngettext("%(num)d new appointment", "%(num)d new appointments", kinds[K.appointment_new]))
    if kinds[K.appointment_changed]:
        lines.append(ngettext("%(num)d appointment was changed", "%(num)d appointments were changed",
                              kinds[K.appointment_changed]))
    if kinds[K.appointment_cancelled]:
        lines.append(ngettext("%(num)d appointment was cancelled", "%(num)d appointments were cancelled",
                              kinds[K.appointment_cancelled]))
    if kinds[K.reply]:
        lines.append(ngettext("%(num)d reply to your question", "%(num)d replies to your questions", kinds[K.reply]))
    if kinds[K.reminder_day_before]:
        lines.append(pgettext("child", "Tomorrow you have a date in NeuStart.") if child
                     else gettext("You have an appointment tomorrow."))
    if kinds[K.reminder_morning]:
        lines.append(pgettext("child", "Today you have a date in NeuStart.") if child
                     else gettext("You have an appointment today."))
    if kinds[K.checkin_due]:
        lines.append(pgettext("child", "A short question is waiting for you in NeuStart.") if child
                     else gettext("A short question is waiting for you in NeuStart."))
    topics = {preferences.TOPIC_OF_KIND[kind] for kind in kinds}
    topic = topics.pop() if len(topics) == 1 else preferences.ALL
    subject = (pgettext("child", "There is something new for you in NeuStart") if child
               else gettext("There is something new for you in NeuStart"))
    return Content(
        language=language, subject=subject, lines=lines,
        link_intro=(pgettext("child", "Open NeuStart to see it:") if child
                    else gettext("Sign in to see what it is:")),
        link_text=gettext("Open NeuStart"),
        url=url_for("family.path" if child else "family.home", _external=True),
        footer=[gettext("This message only says that there is something new. "
                        "What it is, you see after signing in.")],
        unsubscribe_intro=gettext("You do not want these messages? Switch them off with one click:"),
        unsubscribe_url=url_for("family.unsubscribe", token=preferences.unsubscribe_token(member.id, topic),
                                _external=True),
        push_title=gettext("NeuStart"), push_body=subject,
    )


# --- staff ------------------------------------------------------------------------

def _staff(message: Message, cases: dict[int, Case], language: str) -> Content:
    kinds = Counter(n.kind for n in message.notifications)
    if message.urgent:
        case = cases[message.notifications[0].case_id]
        lines = []
        if kinds[K.safety_alert]:
            subject = gettext("NeuStart: safety alert")
            lines.append(gettext("A safety alert was raised in case %(reference)s.", reference=case.reference))
        else:
            minutes = current_app.config["ALERT_ESCALATION_MINUTES"]
            subject = gettext("NeuStart: safety alert not yet acknowledged")
            lines.append(ngettext("A safety alert in case %(reference)s has not been acknowledged for %(num)d minute.",
                                  "A safety alert in case %(reference)s has not been acknowledged for %(num)d minutes.",
                                  minutes, reference=case.reference))
        return Content(
            language=language, subject=subject, lines=lines, link_intro=gettext("Open the case:"),
            link_text=gettext("Open the case"), url=url_for("staff.inbox", case_id=case.id, _external=True),
            footer=[gettext("Mark the alert on the caseload as taken care of; until then the team lead is told "
                            "after %(minutes)d minutes.", minutes=current_app.config["ALERT_ESCALATION_MINUTES"])],
        )
    per_case: dict[int, Counter] = {}
    for notification in message.notifications:
        per_case.setdefault(notification.case_id, Counter())[notification.kind] += 1
    lines = []
    for case_id, counts in sorted(per_case.items(), key=lambda entry: cases[entry[0]].reference):
        parts = []
        if counts[K.question]:
            parts.append(ngettext("%(num)d new question", "%(num)d new questions", counts[K.question]))
        if counts[K.appointment_answer]:
            parts.append(ngettext("%(num)d answer to an appointment", "%(num)d answers to appointments",
                                  counts[K.appointment_answer]))
        if counts[K.disagreement]:
            parts.append(ngettext("%(num)d disagreement with the plan", "%(num)d disagreements with the plan",
                                  counts[K.disagreement]))
        if counts[K.delivery_failed]:
            parts.append(ngettext("%(num)d message to the family could not be delivered",
                                  "%(num)d messages to the family could not be delivered", counts[K.delivery_failed]))
        lines.append(gettext("%(reference)s: %(news)s – %(url)s", reference=cases[case_id].reference,
                             news=", ".join(parts), url=url_for("staff.inbox", case_id=case_id, _external=True)))
    return Content(
        language=language, subject=gettext("NeuStart: what came in"), lines=lines,
        link_intro=gettext("Your caseload:"), link_text=gettext("Open the caseload"),
        url=url_for("staff.caseload", _external=True),
    )
