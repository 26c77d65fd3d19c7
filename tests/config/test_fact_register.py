"""One source per fact (一数一源): docs/facts.md registers every fact that crosses apps — its owner, the
selector that serves it, where it is derived, and the names a form or an import layout would ask for it
under. This walks every Django form of every app and every registered import layout and fails when one
app asks for a fact another app owns, so the next form cannot quietly ask again."""

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules

from datahub import imports as datahub_imports
from datahub.forms import PersonLookupField, PickInput

REGISTER = Path(settings.BASE_DIR) / "docs" / "facts.md"


@dataclass(frozen=True)
class Fact:
    name: str
    owner: str
    served_by: tuple[str, ...]
    derived_in: tuple[str, ...]
    asked_as: tuple[str, ...]
    observed: tuple[str, ...]


def _ticks(cell: str) -> tuple[str, ...]:
    return tuple(re.findall(r"`([^`]+)`", cell))


def parse_register(text: str) -> list[Fact]:
    body = text.split("<!-- facts:begin -->", 1)[1].split("<!-- facts:end -->", 1)[0]
    facts = []
    for line in body.strip().splitlines()[2:]:  # after the header and the |---| line
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 6, f"docs/facts.md: a row must have 6 cells: {line}"
        name, owner, served, derived, asked, observed = cells
        facts.append(Fact(name, owner, _ticks(served), _ticks(derived), _ticks(asked), _ticks(observed)))
    return facts


def our_apps() -> set[str]:
    base = str(Path(settings.BASE_DIR).resolve())
    return {c.name for c in apps.get_app_configs() if str(Path(c.path).resolve()).startswith(base)}


def _app_of(module: str, ours: set[str]) -> str | None:
    top = module.split(".", 1)[0]
    return top if top in ours else None


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def project_forms() -> list[tuple[str, type]]:
    """Every form class defined in one of the project's apps (forms.py, views, api, admin …)."""
    get_resolver().url_patterns  # noqa: B018 - loading the URLconf imports every app's views and forms
    autodiscover_modules("forms")
    ours = our_apps()
    found = {}
    for cls in _all_subclasses(forms.BaseForm):
        app = _app_of(cls.__module__, ours)
        if app:
            found[f"{app}.{cls.__name__}"] = (app, cls)
    return sorted(found.values(), key=lambda pair: (pair[0], pair[1].__name__))


def import_layouts() -> list[tuple[str, str, tuple[str, ...]]]:
    autodiscover_modules("imports")
    ours = our_apps()
    return [
        (_app_of(type(imp).__module__, ours), kind, tuple(imp.columns))
        for kind, imp in sorted(datahub_imports.IMPORTERS.items())
        if _app_of(type(imp).__module__, ours)
    ]


def _picks_a_row(field) -> bool:
    """A choice among the owner's rows, a directory lookup, or a search box (PickInput) whose suggestions and
    whose check both come from the owner's selector. A plain text box is asking again."""
    return isinstance(field, forms.ModelChoiceField | PersonLookupField) or isinstance(field.widget, PickInput)


def violations(facts: list[Fact]) -> dict[str, str]:
    """Where a form or a layout of one app asks for a fact another app owns → the fact."""
    found: dict[str, str] = {}
    for app, cls in project_forms():
        for field_name, field in cls.base_fields.items():
            qualified = f"{app}.{cls.__name__}.{field_name}"
            for fact in facts:
                if fact.owner == app or qualified in fact.observed:
                    continue
                if qualified in fact.asked_as or (field_name in fact.asked_as and not _picks_a_row(field)):
                    found[qualified] = fact.name
    for app, kind, columns in import_layouts():
        for column in columns:
            qualified = f"import:{kind}:{column}"
            for fact in facts:
                if fact.owner == app or qualified in fact.observed:
                    continue
                if qualified in fact.asked_as or f"import:{column}" in fact.asked_as:
                    found[qualified] = fact.name
    return found


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    return parse_register(REGISTER.read_text(encoding="utf-8"))


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attr in parts[split:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_every_row_names_a_real_owner_and_a_real_reader(facts):
    ours = our_apps()
    assert len(facts) >= 15
    for fact in facts:
        assert fact.owner in ours, f"{fact.name}: owner {fact.owner} is not an app of the project"
        assert fact.served_by, f"{fact.name}: say which selector serves it"
        for reader in fact.served_by:
            assert reader.split(".", 1)[0] == fact.owner, f"{fact.name}: {reader} is not the owner's"
            assert _resolves(reader), f"{fact.name}: {reader} does not exist"
        for place in fact.derived_in:
            assert place in ours or _resolves(place), f"{fact.name}: {place} is neither an app nor a reader"
        assert fact.asked_as, f"{fact.name}: say under which names it would be asked for"


def test_a_fact_has_one_owner(facts):
    names = [n for fact in facts for n in fact.asked_as]
    assert len(names) == len(set(names)), "a name is registered under two facts: which app owns it?"


def test_the_walk_sees_every_app_s_forms_and_every_import_layout():
    """The check is only as good as the walk: it must reach the forms and layouts it polices."""
    seen_forms = {f"{app}.{cls.__name__}" for app, cls in project_forms()}
    assert {"energy.ProfileForm", "officespace.RepairRequestForm", "vehicles.VehicleForm", "assets.CardForm"} <= (
        seen_forms
    )
    assert {"assetpool.PublishForm", "stocktake.ScanForm", "datahub.PersonForm", "telematics.RuleForm"} <= seen_forms
    kinds = {kind for _, kind, _ in import_layouts()}
    assert {"vehicles.vehicles", "assets.cards", "officespace.rooms", "energy.records", "stocktake.counts"} <= kinds
    assert {"datahub.units", "datahub.people"} <= kinds


def test_no_form_or_import_layout_asks_for_a_fact_another_app_owns(facts):
    """Zero typed facts: there is no list of known exceptions any more (the last four — 兼职岗位, 离岗 dates,
    the pool's card number, the terminal's plate — now pick the owner's row or follow the directory)."""
    asked = violations(facts)
    assert not asked, (
        "These forms/import columns ask for a fact another app owns (docs/facts.md): pick the owner's row or "
        "derive it through the owner's selector.\n" + "\n".join(f"  {p}: {f}" for p, f in sorted(asked.items()))
    )


def test_a_new_form_asking_again_is_caught(facts):
    """The guard itself: a form in another app that types the building area is reported."""

    class TypedAreaForm(forms.Form):
        building_area = forms.DecimalField()
        room = forms.ModelChoiceField(queryset=apps.get_model("officespace", "Room").objects.none())
        asset_number = forms.CharField()  # a typed card number: asking again
        plate = forms.CharField(widget=PickInput("assets:pick"))  # a search box over the owner's rows: picking

    TypedAreaForm.__module__ = "energy.forms"
    try:
        found = violations(facts)
    finally:
        TypedAreaForm.__module__ = __name__  # out of the walk again for the other tests
    assert found.get("energy.TypedAreaForm.building_area") == "楼宇建筑面积、使用面积"
    assert "energy.TypedAreaForm.room" not in found  # picking the owner's room is not asking again
    assert found.get("energy.TypedAreaForm.asset_number") == "资产卡片（资产编号）"
    assert "energy.TypedAreaForm.plate" not in found
