"""The catalogs are what the code asks for, complete and compilable.

The committed messages.pot must equal a fresh extraction with the Makefile's
options (so no string reaches a page without reaching the translators), and
every catalog must translate every message, with no fuzzy entries, the plural
forms its language needs and placeholders that match the msgid.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]
# Forms per language, as in Babel's plural table that `pybabel init` writes into the
# header: Arabic six, Russian and Ukrainian three; Turkish and Persian keep the noun
# singular after a number ("3 gün", "۳ روز"), so one form serves every count.
PLURALS = {"de": 2, "en": 2, "ar": 6, "uk": 3, "ru": 3, "tr": 1, "fa": 1}


def extract_command(output: Path) -> list[str]:
    """The `extract` target of the Makefile, with its options, into `output`."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^extract:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    arguments = " ".join(line.strip().rstrip("\\") for line in recipe.splitlines()).split()
    arguments = arguments[arguments.index("extract"):]
    arguments[arguments.index("-o") + 1] = str(output)
    return [str(Path(sys.executable).with_name("pybabel")), *arguments]


def test_the_committed_template_equals_a_fresh_extraction(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(extract_command(fresh), cwd=ROOT, check=True, capture_output=True)
    assert fresh.read_text() == (TRANSLATIONS / "messages.pot").read_text(), (
        "translations/messages.pot is out of date: run `make update-catalogs` and commit it"
    )


def load(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_complete_without_fuzzy_entries_and_compiles(language):
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        template = read_po(file)
    catalog = load(language)
    assert catalog.num_plurals == PLURALS[language], f"{language}: Plural-Forms header has {catalog.num_plurals}"
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, message.context)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
            continue
        if translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        strings = translated.string if isinstance(translated.string, (list, tuple)) else [translated.string]
        if message.pluralizable and len(strings) != PLURALS[language]:
            problems.append(f"{len(strings)} plural forms instead of {PLURALS[language]}: {message.id!r}")
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    for message, errors in catalog.check():
        problems += [f"{error}: {message.id!r}" for error in errors]
    write_mo(io.BytesIO(), catalog)
    assert not problems, f"{language}: {len(problems)} problems\n" + "\n".join(problems[:40])


# Languages with a youth register: youth.po holds only the informal wording where it differs
# (every other message is read from messages.po), so it has no untranslated entry either.
YOUTH_LANGUAGES = ["de", "uk", "ru", "tr", "fa"]


@pytest.mark.parametrize("language", YOUTH_LANGUAGES)
def test_every_youth_catalog_is_complete_follows_the_template_and_compiles(language):
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        template = read_po(file)
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "youth.po", "rb") as file:
        youth = read_po(file, locale=language)
    assert youth.num_plurals == PLURALS[language]
    problems = [f"not in messages.pot: {m.id!r}" for m in youth if m.id and template.get(m.id, m.context) is None]
    for message in (m for m in youth if m.id):
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    for message, errors in youth.check():
        problems += [f"{error}: {message.id!r}" for error in errors]
    write_mo(io.BytesIO(), youth)
    assert not problems, f"{language}: {len(problems)} problems\n" + "\n".join(problems[:40])
    assert sum(1 for m in youth if m.id) > 30  # the register is there, not an empty file


def test_pruning_keeps_a_youth_catalog_to_what_is_worded_otherwise(tmp_path):
    """After the template changes, `make update-catalogs` drops youth entries whose message is
    gone and any left untranslated: the youth then reads messages.po, never an empty string."""
    from portal.catalogs import prune

    template = tmp_path / "messages.pot"
    template.write_text('msgid "Your data"\nmsgstr ""\n\nmsgid "Sign out"\nmsgstr ""\n\n'
                        'msgid "%(num)d step"\nmsgid_plural "%(num)d steps"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    po = tmp_path / "de" / "LC_MESSAGES" / "youth.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Your data"\nmsgstr "Deine Daten"\n\n'
                  'msgid "Sign out"\nmsgstr ""\n\n'
                  'msgid "%(num)d step"\nmsgid_plural "%(num)d steps"\nmsgstr[0] "%(num)d Schritt"\nmsgstr[1] ""\n\n'
                  'msgid "Gone from the template"\nmsgstr "Weg"\n')
    prune(po, template)
    with po.open("rb") as file:
        kept = read_po(file, locale="de")
    assert [m.id for m in kept if m.id] == ["Your data"]
