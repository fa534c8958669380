"""The English catalogue is complete, keeps every placeholder, compiles, and is up to date with the code."""
from __future__ import annotations

import re

import pytest
from babel.messages import extract
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import ROOT

ENGLISH = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The same keywords as `make messages` (pybabel's defaults plus -k _l -k lazy_gettext).
KEYWORDS = {**extract.DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
# %(name)s-style and {name}-style placeholders, and a literal %%.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%%|\{[A-Za-z_][A-Za-z0-9_]*\}")


def first_line(message_id: str | tuple[str, ...]) -> str:
    """Name a message in an assertion: its (singular) Vietnamese text."""
    return message_id if isinstance(message_id, str) else message_id[0]


def placeholders(text: str) -> set[str]:
    """Return the placeholders a string uses."""
    return set(PLACEHOLDER.findall(text))


def translated(message: Message | None) -> bool:
    """Whether a catalogue entry exists and has English (both forms, for ngettext)."""
    if message is None:
        return False
    if message.pluralizable:
        return len(message.string) == 2 and all(message.string)
    return bool(message.string)


@pytest.fixture(scope="module")
def english() -> Catalog:
    with ENGLISH.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module")
def messages(english: Catalog) -> list[Message]:
    return [m for m in english if m.id]


@pytest.fixture(scope="module")
def extracted() -> dict[str, str | tuple[str, ...]]:
    """Every UI string in the code now, extracted with babel.cfg's mapping, keyed by its (singular) msgid."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found = extract.extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {first_line(message): message for _file, _line, message, _comments, _context in found}


def test_english_catalogue_has_a_header_so_pybabel_compiles_it(english: Catalog) -> None:
    """Without its header (or with it marked fuzzy) `pybabel compile` skips the whole catalogue."""
    assert not english.fuzzy, (
        f"{ENGLISH.relative_to(ROOT)} has no header (or a fuzzy one), so `pybabel compile` skips it and the "
        "English interface stops updating; `pybabel update --omit-header` (make messages) drops it: put it back")
    assert english.num_plurals == 2


def test_every_english_message_is_translated_and_none_is_fuzzy(messages: list[Message]) -> None:
    """Every msgid has an English msgstr (both plural forms for ngettext) and no #, fuzzy flag."""
    untranslated = [first_line(m.id) for m in messages if not translated(m)]
    fuzzy = [first_line(m.id) for m in messages if m.fuzzy]
    assert (untranslated, fuzzy) == ([], []), (
        f"in {ENGLISH.relative_to(ROOT)}: {len(untranslated)} message(s) without English {untranslated}; "
        f"{len(fuzzy)} fuzzy translation(s) to check and unflag {fuzzy}")


def test_every_translation_keeps_the_placeholders_of_its_msgid(english: Catalog, messages: list[Message]) -> None:
    """%(name)s, {name} and %% appear in the English exactly as in the Vietnamese, and babel's checks pass."""
    wrong = []
    for m in messages:
        pairs = zip(m.id, m.string, strict=True) if m.pluralizable else [(m.id, m.string)]
        for source, translation in pairs:
            if translation and placeholders(source) != placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    checked = [f"{first_line(m.id)!r}: {error}" for m, errors in english.check() for error in errors]
    assert wrong == [], "placeholders differ:\n" + "\n".join(wrong)
    assert checked == [], "babel's catalogue checks failed:\n" + "\n".join(checked)


def test_every_string_in_the_code_has_an_english_translation(
        english: Catalog, extracted: dict[str, str | tuple[str, ...]]) -> None:
    """A new _()/_l()/ngettext string fails here until `make messages` is run and it is translated."""
    missing = [msgid for msgid, message in extracted.items() if not translated(english.get(message))]
    assert missing == [], (
        f"{len(missing)} UI string(s) have no English translation; run `make messages` and translate them in "
        f"{ENGLISH.relative_to(ROOT)}:\n" + "\n".join(missing))


def test_extraction_found_strings_from_python_and_templates(extracted: dict[str, str | tuple[str, ...]]) -> None:
    """The up-to-date check is real: it sees strings from both Python code and Jinja templates."""
    assert "Bạn cần đăng nhập để xem trang này." in extracted  # app/errors.py
    assert "Bỏ qua, đến nội dung chính" in extracted  # app/templates/base.html
    assert isinstance(extracted["%(num)s người"], tuple)  # ngettext in a template

