"""Keep the register catalogs (`translations/<lang>/LC_MESSAGES/youth.po`) sparse.

A register catalog holds only the messages worded otherwise for its readers; every other
message is read from messages.po, the gettext fallback (`portal.i18n.RegisterDomain`). So a
register catalog never holds an untranslated entry: after the template changes, this drops
the entries whose message is gone, and any left untranslated or fuzzy. New wording is added
by hand, msgid copied from messages.po (README "Languages").

    python -m portal.catalogs translations      (run by `make update-catalogs`)
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

REGISTERS = ("youth",)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(message.id) and not message.fuzzy and all(strings)


def prune(po: Path, template: Path) -> None:
    with template.open("rb") as file:
        known = read_po(file)
    with po.open("rb") as file:
        catalog = read_po(file, locale=po.parent.parent.name)
    for message in [m for m in catalog if m.id]:
        if not translated(message) or known.get(message.id, message.context) is None:
            catalog.delete(message.id, context=message.context)
    with po.open("wb") as file:
        write_po(file, catalog, width=None, ignore_obsolete=True)


def main(directory: str = "translations") -> None:
    for register in REGISTERS:
        for po in sorted(Path(directory).glob(f"*/LC_MESSAGES/{register}.po")):
            prune(po, Path(directory) / "messages.pot")


if __name__ == "__main__":
    main(*sys.argv[1:])
