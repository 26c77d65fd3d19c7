"""The house rules that import-linter cannot see, read from the source (no Django needed).

* a service is called with keywords only (``def x(*, actor, ...)``): a call reads as the action it is;
* no module over ~600 lines;
* imports sit at the top of a module; one inside a function is allowed in ``AppConfig.ready()``,
  migrations and demo seeds, or with a comment (on it or just above) that says why;
* no circle of imports between the modules of one app (a module that needs another's caller is split,
  or is told by a signal or a registry, instead of importing it back).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("vehicles", "telematics", "officespace", "energy", "assets", "assetpool", "stocktake", "assessment")
# Every app of ours: the rules on imports hold in all of them.
APPS = (*DOMAINS, "datahub", "portal", "commandcenter", "datasharing", "config")
MAX_LINES = 600
# Public service functions that may still take positional arguments (none: keep it so).
POSITIONAL_ALLOWED: set[str] = set()


def _modules(apps):
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _services_modules():
    for path in _modules(APPS):
        if path.stem == "services" or path.parent.name == "services":
            yield path


@pytest.mark.parametrize("path", list(_services_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_public_service_functions_take_keywords_only(path):
    tree = ast.parse(path.read_text())
    positional = [
        f"{f.name}({', '.join(a.arg for a in f.args.posonlyargs + f.args.args)})"
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        and not f.name.startswith("_")
        and (f.args.posonlyargs or f.args.args or f.args.vararg)
        and f"{path.relative_to(ROOT)}:{f.name}" not in POSITIONAL_ALLOWED
    ]
    assert positional == []


def test_no_module_over_the_size_limit():
    over = {str(p.relative_to(ROOT)): n for p in _modules(APPS) if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert over == {}


def _hidden_imports(path):
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, (ast.Import, ast.ImportFrom)) and function is not None and function.name != "ready":
                nearby = lines[max(0, child.lineno - 3) : child.end_lineno]
                if not any("#" in line for line in nearby):
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            visit(child, inner)

    visit(tree, None)
    return found


def test_imports_sit_at_the_top_of_the_module():
    hidden = [hit for p in _modules(APPS) if p.name != "demo.py" for hit in _hidden_imports(p)]
    assert hidden == []


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path, name, known):
    """The modules of ours that ``path`` (module ``name``) imports, anywhere in it, as dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                source = ".".join(filter(None, [*base, node.module or ""]))
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in known:  # ``from . import tasks``: the submodule itself
                    yield f"{source}.{alias.name}"
                elif source in known:
                    yield source


def _import_circles():
    """Every circle of imports between the modules of one app (Tarjan's strongly connected components)."""
    paths = {_module_name(p): p for p in _modules(APPS)}
    graph = {
        name: {t for t in _imported_modules(path, name, paths) if t != name and t.split(".")[0] == name.split(".")[0]}
        for name, path in paths.items()
    }
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(circles)


def test_no_import_circle_between_the_modules_of_an_app():
    """An import inside a function counts too: it hides a circle, it does not remove it."""
    assert _import_circles() == []


# --- Views hold no ORM reads ------------------------------------------------------------------------------

# Calls that only a queryset (or a model's manager) answers: a page that needs them asks its app's selectors.
QUERYSET_ONLY = {
    "filter",
    "exclude",
    "annotate",
    "alias",
    "order_by",
    "select_related",
    "prefetch_related",
    "aggregate",
    "values_list",
    "only",
    "defer",
    "distinct",
    "in_bulk",
    "reverse",
}
# (module, line text) pairs that must stay: none. Add one only with a comment saying why it cannot move.
VIEW_ORM_ALLOWED: set[tuple[str, str]] = set()


def _view_modules():
    """The page modules of every app: ``views.py``, a ``views/`` package, ``pages.py`` (sub-packages too).

    ``api/views.py`` is left out: a DRF viewset declares ``queryset = Model.objects…`` for the router and
    the schema, and ``datahub.api.ScopedModelViewSet`` scopes it in ``get_queryset()``.
    """
    for path in _modules(APPS):
        if {"api", "tests"} & set(path.relative_to(ROOT).parts):
            continue
        if path.name in ("views.py", "pages.py", "import_views.py") or path.parent.name == "views":
            yield path


def _model_names(tree) -> set[str]:
    """Names imported from a ``models`` module (``from .models import X``, ``from app.models import X``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] == "models":
            names |= {a.asname or a.name for a in node.names}
    return names


def _orm_reads(path: Path) -> list[str]:
    source = path.read_text()
    tree = ast.parse(source)
    models = _model_names(tree)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager", "_base_manager"):
            what = f".{node.attr}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERYSET_ONLY:
            what = f".{node.func.attr}()"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in models
        ):
            what = f"{node.func.id}({node.args[0].id}, …)"
        if what and (str(path.relative_to(ROOT)), lines[node.lineno - 1].strip()) not in VIEW_ORM_ALLOWED:
            found.append((node.lineno, f"{path.relative_to(ROOT)}:{node.lineno} {what}"))
    return [hit for _, hit in sorted(found)]


def test_the_scan_sees_an_orm_read_in_a_view(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "from .models import Room\n"
        "def a(request):\n    return Room.objects.all()\n"
        "def b(request, pk):\n    return get_object_or_404(Room, pk=pk)\n"
        "def c(request):\n    return selectors.rooms_for(request.user).filter(floor=1)\n"
        "def d(request, pk):\n    return get_object_or_404(selectors.rooms_for(request.user), pk=pk)\n"
    )
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        found = _orm_reads(view)
    finally:
        ROOT = root
    assert found == ["views.py:3 .objects", "views.py:5 get_object_or_404(Room, …)", "views.py:7 .filter()"]


def test_views_hold_no_orm_reads():
    """A page parses the request, calls a selector (a named read taking the user and plain values) and renders."""
    assert list(_view_modules()), "no view module found"
    found = [hit for path in _view_modules() for hit in _orm_reads(path)]
    assert found == []
