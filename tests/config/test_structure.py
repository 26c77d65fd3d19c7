"""The house rules that import-linter cannot see, read from the source (no Django needed).

* a service is called with keywords only (``def x(*, actor, ...)``): a call reads as the action it is;
* no module over ~600 lines;
* imports sit at the top of a module; one inside a function is allowed in ``AppConfig.ready()``,
  migrations and demo seeds, or with a comment (on it or just above) that says why.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("vehicles", "telematics", "officespace", "energy", "assets", "assetpool", "stocktake", "assessment")
MAX_LINES = 600
# Public service functions that may still take positional arguments (none: keep it so).
POSITIONAL_ALLOWED: set[str] = set()


def _modules(apps):
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _services_modules():
    for path in _modules((*DOMAINS, "datahub")):
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
    over = {
        str(p.relative_to(ROOT)): n
        for p in _modules((*DOMAINS, "datahub", "portal", "config"))
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
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


def test_domain_imports_sit_at_the_top_of_the_module():
    hidden = [hit for p in _modules(DOMAINS) if p.name != "demo.py" for hit in _hidden_imports(p)]
    assert hidden == []
