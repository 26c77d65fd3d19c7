"""No English on a page for a zh-hans reader, and no Chinese for an English one (issue #19): the modules that
write what the platform stores for people to read (a ticket's timeline, notifications, a step's result, a
bundle's title, a movement's note) and the e-mails it sends hold no Chinese literal outside gettext. A
sentence the system writes is a ``gettext_noop`` message kept with its values (datahub.keyed) or a
translated one; a Chinese literal there would be stored, and read, in Chinese whatever the reader's language.

Docstrings and comments are not looked at; an import's Excel column names (the sheet's own headers) live in
other modules and are data."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # ideographs and full-width punctuation
# The calls whose argument is a message to translate (now or at read time).
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}

WRITERS = [
    *sorted((BASE / "portal" / "services").glob("*.py")),
    BASE / "portal" / "mail.py",
    BASE / "portal" / "workflow.py",
    BASE / "portal" / "chains.py",
    BASE / "datahub" / "keyed.py",
    BASE / "datahub" / "auth" / "services.py",
    BASE / "datahub" / "catalog" / "services.py",
    BASE / "vehicles" / "services" / "__init__.py",
    BASE / "assets" / "services" / "lifecycle.py",
    BASE / "assets" / "services" / "outcomes.py",
    BASE / "stocktake" / "services.py",
    BASE / "assetpool" / "services.py",
]

# Literals excused, each for its reason: the full-width comma a person may type between asset numbers (read,
# not written). (The access trail's caller label, part of its hash chain, is written in Chinese from
# datahub.catalog.models' CALLER_* and read through shown_caller.)
EXCUSED = {
    ("assets/services/outcomes.py", "，"),
}


def chinese_outside_gettext(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal with Chinese characters that is neither a docstring nor inside
    a gettext call's arguments."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        if isinstance(parents.get(node), ast.Expr):  # a docstring (or a bare string statement)
            continue
        ancestor, translated = node, False
        while ancestor in parents and not translated:
            ancestor = parents[ancestor]
            if isinstance(ancestor, ast.Call):
                func = ancestor.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                translated = name in GETTEXT
        if not translated:
            found.append((node.lineno, node.value[:40]))
    return found


def test_the_scan_sees_a_chinese_literal_and_passes_messages_and_docstrings():
    source = '''
def f(pk):
    """说明：不算。"""
    # 注释也不算
    a = gettext_noop("随派车单%(pk)s一并办结（拼车）。")
    b = _("已派车：%(plate)s。") % {"plate": pk}
    return f"随派车单{pk}一并办结（拼车）。", "、".join([a, b])
'''
    assert chinese_outside_gettext(source) == [(7, "随派车单"), (7, "一并办结（拼车）。"), (7, "、")]


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: str(p.relative_to(BASE)))
def test_a_module_that_writes_stored_texts_has_no_chinese_outside_gettext(path):
    where = str(path.relative_to(BASE))
    found = [(line, text) for line, text in chinese_outside_gettext(path.read_text(encoding="utf-8"))]
    assert [(line, text) for line, text in found if (where, text) not in EXCUSED] == []
