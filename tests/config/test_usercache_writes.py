"""A write that bypasses the model signals on a user, a unit or a role grant retires the cached signed-in users.

datahub.auth.usercache keeps the signed-in user, its unit and its role grants (OrgUnitUserPermission) in the
shared cache and retires them from post_save / post_delete. ``QuerySet.update``, ``bulk_create``,
``bulk_update`` and ``_raw_delete`` send neither, so a function that calls one of them on those models must call
``usercache.user_changed`` (a user or a grant) or ``usercache.units_changed`` (a unit; it retires everybody, so
it also covers the other two) itself; otherwise a revoked role keeps working from the cache. ``QuerySet.delete``
is fine: usercache listens to post_delete on the three models, so Django's Collector never takes its fast path
for them and sends the signals per row (guardian's ``remove_perm`` relies on this).

The scan reads the source (no Django needed). It resolves the obvious forms: a chain that starts at one of the
three models imported from datahub.models (``User.objects.filter(...).update(``, ``OrgUnit._base_manager...``),
at ``get_user_model()``, at a grant's related manager (``user.orgunituserpermission_set...``) or at a treebeard
tree method of a unit (``unit.get_descendants().update(``); and raw SQL that writes their tables. A queryset
passed through a variable or returned by a selector is not followed.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every package of ours that runs against a database, bench scripts included (they share the models).
PACKAGES = (
    *("vehicles", "telematics", "officespace", "energy", "assets", "assetpool", "stocktake", "assessment"),
    *("datahub", "portal", "commandcenter", "datasharing", "config", "bench", "scripts"),
)
BYPASSING = {"update", "bulk_create", "bulk_update", "_raw_delete"}
# Model name → the invalidation that covers it (units_changed covers all three).
MODELS = {"User": "user_changed", "OrgUnitUserPermission": "user_changed", "OrgUnit": "units_changed"}
# Querysets of OrgUnit that treebeard hands out from a node or from the manager.
TREE_METHODS = {"get_children", "get_descendants", "get_siblings", "get_ancestors", "get_tree", "get_root_nodes"}
RELATED_MANAGERS = {"orgunituserpermission_set": "OrgUnitUserPermission"}
RAW_WRITE = re.compile(
    r"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|COPY)\s+\"?(datahub_user|datahub_orgunit|datahub_orgunituserpermission)\"?"
    r"(?![\w])",
    re.IGNORECASE,
)
TABLES = {
    "datahub_user": "User",
    "datahub_orgunit": "OrgUnit",
    "datahub_orgunituserpermission": "OrgUnitUserPermission",
}

# "path:function" → why that function may write without retiring the cache. Keep each reason honest.
ALLOWED = {
    # Builds a fresh generated directory on a bench database before anything signs in: the rows are new, so no
    # cached entry can name them, and the bench starts the web process only afterwards.
    "bench/generate_org.py:build": "new rows on a bench database, written before any session exists",
    # The energy bench's own province and institutions, new rows; its root's numchild is not read from the cache.
    "bench/bench_energy.py:_province": "new bench units and the root's numchild, before any session exists",
    # The office bench changes post levels to time the nightly check, which reads people from the database;
    # no request follows in that process.
    "bench/bench_officespace.py:run": "post levels changed for the nightly check's timing, no request follows",
}


# Text a module must hold, both, to be parsed at all (reading is cheap, parsing every module is not).
WRITE_CLUE = re.compile(r"update\(|bulk_create|bulk_update|_raw_delete|datahub_(?:user|orgunit)", re.IGNORECASE)
MODEL_CLUE = re.compile(
    r"\b(?:User|OrgUnit|OrgUnitUserPermission|get_user_model)\b|orgunituserpermission_set|\.get_(?:children|descendants|siblings|ancestors|tree|root_nodes)\("
)


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)[: -node.level]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _model_aliases(path: Path, tree: ast.Module) -> dict[str, str]:
    """Local name → model name, for the three models imported from datahub.models."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _absolute(path, node) == "datahub.models":
            aliases.update({a.asname or a.name: a.name for a in node.names if a.name in MODELS})
    return aliases


def _model_of(receiver: ast.AST, aliases: dict[str, str]) -> str | None:
    """The model a call chain's receiver is a queryset or manager of, when the chain shows it."""
    node = receiver
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "get_user_model":
                return "User"
            if isinstance(func, ast.Attribute) and func.attr in TREE_METHODS:
                return "OrgUnit"
            node = func
        elif isinstance(node, ast.Attribute):
            if node.attr == "through":  # a many-to-many table (User.groups.through): not read by the cache
                return None
            if node.attr in RELATED_MANAGERS:
                return RELATED_MANAGERS[node.attr]
            node = node.value
        elif isinstance(node, ast.Name):
            return aliases.get(node.id)
        else:
            return None


def _calls_named(function: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def unretired_writes(source: str, path: Path) -> list[tuple[int, str, str, str]]:
    """(line, function, model, what) of every bypassing write on the three models whose function retires nothing."""
    tree = ast.parse(source)
    aliases = _model_aliases(path, tree)
    found = []

    def check(scope, name: str, node: ast.AST) -> None:
        model = what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BYPASSING:
            model, what = _model_of(node.func.value, aliases), f".{node.func.attr}("
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (raw := RAW_WRITE.search(node.value)):
            model, what = TABLES[raw.group(1).lower()], f"raw SQL {raw.group(0)!r}"
        if model is None:
            return
        retired = _calls_named(scope)
        if "units_changed" not in retired and MODELS[model] not in retired:
            found.append((node.lineno, name, model, what))

    def visit(node, scope, name):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # A nested function counts with the outermost one (a helper closure written for one service).
                inner, inner_name = (child, child.name) if name == "<module>" else (scope, name)
                visit(child, inner, inner_name)
                continue
            check(scope, name, child)
            visit(child, scope, name)

    visit(tree, tree, "<module>")
    return found


def test_the_scan_sees_each_form_and_passes_a_retired_write(tmp_path):
    path = ROOT / "datahub" / "auth" / "example.py"  # as if it were there: relative imports resolve from it
    source = """
from django.contrib.auth import get_user_model
from ..models import OrgUnit, OrgUnitUserPermission as Grant
from datahub.models import User
from energy.models import ConsumptionRecord
from . import usercache

def a(pk):
    User.objects.filter(pk=pk).update(is_active=False)

def b(unit):
    unit.get_descendants().update(is_active=False)

def c(rows):
    Grant.objects.bulk_create(rows)

def d(user):
    user.orgunituserpermission_set.filter(pk=1)._raw_delete("default")

def e(rows):
    get_user_model()._default_manager.bulk_update(rows, ["name"])

def groups(rows):
    User.groups.through.objects.bulk_create(rows)

def f(cursor):
    cursor.execute('UPDATE "datahub_orgunit" SET is_active = false')

def retired(pk):
    User.objects.filter(pk=pk).update(language="en")
    usercache.user_changed(pk)

def wrong_token(pk):
    OrgUnit.objects.filter(pk=pk).update(name="x")
    usercache.user_changed(pk)

def everybody(pk):
    User.objects.filter(pk=pk).update(language="en")
    usercache.units_changed()

def other_model(rows):
    ConsumptionRecord.objects.bulk_create(rows)
    ConsumptionRecord.objects.filter(pk=1).update(quantity=1)
    {}.update(a=1)

def deleted(pk):
    OrgUnitUserPermission.objects.filter(pk=pk).delete()
"""
    found = [(function, model) for _, function, model, _ in unretired_writes(source, path)]
    assert found == [
        ("a", "User"),
        ("b", "OrgUnit"),
        ("c", "OrgUnitUserPermission"),
        ("d", "OrgUnitUserPermission"),
        ("e", "User"),
        ("f", "OrgUnit"),
        ("wrong_token", "OrgUnit"),
    ]


def test_writes_that_bypass_the_signals_retire_the_cached_users():
    unretired, used = [], set()
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        source = path.read_text()
        if not (WRITE_CLUE.search(source) and MODEL_CLUE.search(source)):
            continue
        for line, function, model, what in unretired_writes(source, path):
            if f"{relative}:{function}" in ALLOWED:
                used.add(f"{relative}:{function}")
                continue
            unretired.append(
                f"{relative}:{line} in {function}(): {model} {what} sends no signal — call "
                f"usercache.{MODELS[model]}(…) in the same function (after the write), or add "
                f'"{relative}:{function}" to ALLOWED in {Path(__file__).name} with the reason'
            )
    assert unretired == [], "\n".join(["the signed-in user cache would keep the old rows:", *unretired])
    assert set(ALLOWED) - used == set(), "ALLOWED names functions that no longer write these models: drop them"
