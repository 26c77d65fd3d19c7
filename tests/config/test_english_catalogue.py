"""The English UI stays complete (issue #19): the source strings are Chinese, so every message of the
English catalogue must carry a translation, none may be a fuzzy guess left by makemessages, and a
translation must keep its message's placeholders exactly (a missing ``%(name)s`` raises at render
time; an extra one shows a raw placeholder to the user). The compiled catalogue must match the .po,
or what was translated is not what is served."""

import gettext
import re
from collections import Counter
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# %(name)s, %(n).1f, %s, %d, %% (Python format) and {name} (str.format) placeholders.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[-#0 +]*\d*(?:\.\d+)?[sdif]|%%|\{\w*\}")
_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: each a dict of its fields, its flags and its first source reference."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, flags, ref, current = {}, set(), "", None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#:") and not ref:
                ref = line[2:].split()[0]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[current] += _unquote(line[1:-1])
            elif match := _FIELD.match(line):
                current = match.group(1)
                entry[current] = _unquote(match.group(2))
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append({**entry, "flags": flags, "ref": ref})
    return entries


def translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _where(entry: dict) -> str:
    return f"{entry['ref']}: {entry['msgid'][:60]!r}"


CATALOGUE = read_po(LOCALE / "django.po")


def test_the_catalogue_has_the_platforms_messages():
    # A guard against reading the wrong file or a parser that sees nothing: the UI has well over 2,000.
    assert len(CATALOGUE) > 2000


def test_every_message_has_an_english_translation():
    missing = [_where(e) for e in CATALOGUE if not translations(e) or not all(translations(e))]
    assert missing == [], f"{len(missing)} untranslated:\n" + "\n".join(missing[:40])


def test_no_translation_is_a_fuzzy_guess():
    fuzzy = [_where(e) for e in CATALOGUE if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy (check the English, then drop the flag):\n" + "\n".join(fuzzy[:40])


def test_every_translation_keeps_the_placeholders_of_its_message():
    wrong = []
    for e in CATALOGUE:
        for key, text in e.items():
            if not key.startswith("msgstr") or not text:
                continue
            source = e["msgid_plural"] if key not in ("msgstr", "msgstr[0]") else e["msgid"]
            # A singular may spell the count out ("one label") only where the plural keeps it.
            expected = placeholders(source)
            if placeholders(text) != expected:
                wrong.append(f"{_where(e)} {key}: {sorted(placeholders(text))} ≠ {sorted(expected)}")
    assert wrong == [], "\n".join(wrong[:40])


def test_english_plural_messages_have_the_two_english_forms():
    header = (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    plurals = [e for e in CATALOGUE if "msgid_plural" in e]
    assert all({k for k in e if k.startswith("msgstr")} == {"msgstr[0]", "msgstr[1]"} for e in plurals)


def test_the_compiled_catalogue_serves_every_translation():
    with open(LOCALE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in CATALOGUE:
        if "msgid_plural" in e or "fuzzy" in e["flags"]:
            continue
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if compiled.gettext(msgid) != e["msgstr"]:
            stale.append(_where(e))
    assert stale == [], "django.mo is older than django.po (run compilemessages):\n" + "\n".join(stale[:20])
