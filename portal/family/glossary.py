"""The words of the process, explained in plain words (the public /glossary page).

The German term is shown as it is (families meet it in letters and at court,
so they need to recognise it), followed by its name and an explanation in the
reader's language. Explanations are English msgids translated through the
catalogs like every other string.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext


@dataclass(frozen=True)
class Term:
    german: str  # shown with lang="de": the word on letters and forms
    slug: str
    name: LazyString
    explanation: LazyString
    pictogram: str


TERMS: tuple[Term, ...] = (
    Term("Jugendamt", "jugendamt", _l("Youth welfare office"),
         _l("The office of the town that helps children and families. Your caseworker works there. "
            "The youth office must make sure that children are safe."), "people"),
    Term("Hilfeplan", "hilfeplan", _l("Help plan"),
         _l("A written plan for your family. It says what should happen next, who does what, and by when. "
            "You make the plan together with the youth office."), "path"),
    Term("Hilfeplangespräch", "hilfeplangespraech", _l("Plan meeting"),
         _l("A meeting about the help plan. You, your caseworker and other helpers sit together. "
            "You talk about what went well and what comes next. You can say what you think."), "talk"),
    Term("Inobhutnahme", "inobhutnahme", _l("Taking into care"),
         _l("The youth office takes a child to a safe place for a while. This happens when a child is not safe at home. "
            "It is not a punishment. The youth office then works with the family on the way back."), "home"),
    Term("Familiengericht", "familiengericht", _l("Family court"),
         _l("A court that decides questions about children and parents. A judge listens to everyone. "
            "The judge can decide where a child lives and who may visit."), "court"),
    Term("Träger", "traeger", _l("Provider"),
         _l("An organisation that does the practical help, for example a children's home or family helpers. "
            "The youth office pays the provider."), "handshake"),
    Term("Umgang", "umgang", _l("Contact visits"),
         _l("The time a child spends with a parent or other family members when they do not live together. "
            "For example a visit or a phone call. The plan says when and how."), "heart"),
    Term("Nachsorge", "nachsorge", _l("Aftercare"),
         _l("Help after the child has come home. Someone still visits and helps for a while, "
            "so that the new start works."), "star"),
)


def child_explanations() -> dict[str, str]:
    """The same words explained to a child (message context `child`), by term."""
    return {
        "jugendamt": pgettext("child", "The office of the town that helps children and families. Your caseworker "
                                       "works there. The youth office makes sure that children are safe."),
        "hilfeplan": pgettext("child", "A written plan for your family. It says what happens next and who does "
                                       "what. Your family makes the plan together with the youth office."),
        "hilfeplangespraech": pgettext("child", "A meeting about the help plan. Your family, your caseworker and "
                                                "other helpers sit together. They talk about what went well and "
                                                "what comes next. You can say what you think."),
        "inobhutnahme": pgettext("child", "The youth office takes a child to a safe place for a while. This "
                                          "happens when a child is not safe at home. It is not a punishment."),
        "familiengericht": pgettext("child", "A court that decides questions about children and parents. A judge "
                                             "listens to everyone and decides where a child lives."),
        "traeger": pgettext("child", "An organisation that helps, for example a children's home or family "
                                     "helpers."),
        "umgang": pgettext("child", "The time a child spends with a parent or other family members, when they do "
                                    "not live together. For example a visit or a phone call."),
        "nachsorge": pgettext("child", "Help after the child has come home. Someone still visits for a while, "
                                       "so that the new start works."),
    }
