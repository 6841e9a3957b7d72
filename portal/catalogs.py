"""Compile the register catalogs (`translations/<lang>/LC_MESSAGES/youth.po`) into .mo files.

A register catalog holds only the messages worded otherwise for its readers; an empty
entry means "as in messages.po", which the running portal reaches as the gettext fallback
(`portal.i18n.RegisterDomain`). `pybabel compile` would write an untranslated *plural*
entry as the English msgid, so this leaves every untranslated or fuzzy entry out instead.

    python -m portal.catalogs translations      (run by `make compile-catalogs`)
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REGISTERS = ("youth",)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(message.id) and not message.fuzzy and all(strings)


def compile_register(po: Path) -> Path:
    with po.open("rb") as file:
        catalog = read_po(file, locale=po.parent.parent.name)
    for message in [m for m in catalog if m.id and not translated(m)]:
        catalog.delete(message.id, context=message.context)
    mo = po.with_suffix(".mo")
    with mo.open("wb") as file:
        write_mo(file, catalog)
    return mo


def main(directory: str = "translations") -> None:
    for register in REGISTERS:
        for po in sorted(Path(directory).glob(f"*/LC_MESSAGES/{register}.po")):
            compile_register(po)


if __name__ == "__main__":
    main(*sys.argv[1:])
