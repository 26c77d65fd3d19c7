"""Every URL of the platform, found by walking Django's resolver, with the model behind each path
parameter — the URL list of the cross-unit leak crawler (tests/test_leak_crawler.py).

Nothing here is a hand list of URLs: the resolver gives the routes; a ModelAdmin's URLs take their
model from ``admin.site._registry``; a DRF viewset's ``pk`` takes ``view.cls.queryset.model``. Only
the page views (plain functions that cannot say what their ``pk`` is) and a few API views are
mapped in ``PAGE_PARAMS`` below. A route with a parameter that is neither resolved nor listed in
``SKIPPED`` (with its reason) is reported by ``unresolved()``, and the crawler fails on it: a new
URL cannot escape the crawl.
"""

import re
from dataclasses import dataclass, field

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

_NAMED = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
_UNNAMED = re.compile(r"\((?!\?)[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (or the bare name), unique enough to read in a test id
    pattern: str  # the joined pattern, as the resolver holds it
    surface: str  # "api", "page" or "admin"
    params: tuple[str, ...]
    callback: object = field(compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.surface}:{self.name}:{self.pattern}"

    def url(self, values: dict) -> str:
        """The path with ``values`` filled in (named groups and converters by name, unnamed groups in order)."""
        text = _NAMED.sub(lambda m: str(values[m.group(1) or m.group(2)]), self.pattern)
        positional = iter(values.get("_args", ()))
        text = _UNNAMED.sub(lambda m: str(next(positional)), text)
        return "/" + text.replace("^", "").replace("$", "").replace("\\.", ".")


def _params(pattern: str) -> tuple[str, ...]:
    named = tuple(m.group(1) or m.group(2) for m in _NAMED.finditer(pattern))
    unnamed = tuple(f"_arg{i}" for i, _ in enumerate(_UNNAMED.finditer(_NAMED.sub("", pattern))))
    return named + unnamed


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or p.lookup_str)
            yield prefix + str(p.pattern), name, p.callback


def all_routes() -> list[Route]:
    routes = []
    for pattern, name, callback in _walk(get_resolver().url_patterns):
        surface = "admin" if pattern.startswith("admin/") else "api" if pattern.startswith("api/") else "page"
        routes.append(Route(name=name, pattern=pattern, surface=surface, params=_params(pattern), callback=callback))
    return routes


# --- What a path parameter names ------------------------------------------------------------------

# Routes left out of the crawl, each with its reason. Anything else with parameters must resolve.
SKIPPED = {
    "format-suffix": "the same view as the route without the suffix (DRF format_suffix_patterns), crawled there",
    "admin:view_on_site": "redirects to the object's get_absolute_url, a page route crawled itself",
    "admin:app_list": "crawled once per registered app label (see expand())",
    "admin:redirect": "the admin's old object URL, a redirect to the change URL crawled itself",
    "admin:catch_all": "the admin's catch-all 404 for unknown URLs",
}


def skip_reason(route: Route) -> str | None:
    if "(?P<format>" in route.pattern or "<drf_format_suffix:format>" in route.pattern:
        return SKIPPED["format-suffix"]
    if route.name == "admin:view_on_site":
        return SKIPPED["admin:view_on_site"]
    if route.surface == "admin" and route.name.endswith("RedirectView"):
        return SKIPPED["admin:redirect"]
    if route.surface == "admin" and route.name.endswith("catch_all_view"):
        return SKIPPED["admin:catch_all"]
    return None


def _page_params():
    """Page views and non-viewset API views: which model each path parameter is an id of."""
    from assessment.models import Analysis, AnalysisJob, IndicatorValue, Round
    from assetpool.models import PoolListing, Reuse
    from assets.models import Asset
    from datahub.models import (
        ApiToken,
        Consent,
        Dataset,
        ExportJob,
        Grant,
        ImportJob,
        OrgUnit,
        RegisteredSystem,
        User,
    )
    from energy.models import Submission
    from officespace.models import Assessment, Building, Occupancy, Room, RoomBooking
    from portal.models import AssistPart, Bundle, Notification, Ticket, TimelineEntry
    from stocktake.models import Count, Stocktake
    from telematics.models import Alert, Geofence, Terminal
    from vehicles.models import Dispatch, Driver, Vehicle, VehiclePhoto

    return {
        "portal:notification": {"pk": Notification},
        "portal:attachment": {"pk": Ticket, "entry_id": TimelineEntry},
        **{
            f"portal:{n}": {"pk": Ticket}
            for n in (
                "ticket",
                "edit",
                "submit",
                "decide",
                "hand-on",
                "withdraw",
                "start",
                "complete",
                "rate",
                "comment",
                "assist-ask",
                "supervise",
            )
        },
        **{f"portal:assist-{n}": {"pk": AssistPart} for n in ("complete", "decline", "withdraw")},
        **{f"portal:{n}": {"pk": Bundle} for n in ("bundle", "bundle-withdraw")},
        # Any code will do: a bundle kind is not a row of a unit (an unknown code is a 404).
        "portal:bundle-new": {"code": "kind_code"},
        **{f"officespace:{n}": {"pk": Building} for n in ("building-detail", "building-update")},
        **{f"officespace:{n}": {"pk": Room} for n in ("room-detail", "room-update", "room-seat")},
        **{f"officespace:{n}": {"pk": Occupancy} for n in ("occupancy-end",)},
        "officespace:assessment-handle": {"pk": Assessment},
        "officespace:booking-cancel": {"pk": RoomBooking},
        **{f"assessment:{n}": {"pk": Round} for n in ("round", "round-compute", "round-import", "analysis-create")},
        **{f"assessment:{n}": {"pk": Round, "unit_pk": "case_unit"} for n in ("case", "case-enter")},
        "assessment:case-indicator": {"pk": Round, "unit_pk": "case_unit", "indicator_pk": "computed_indicator"},
        "assessment:analysis": {"pk": Analysis},
        "assessment:analysis-job": {"pk": AnalysisJob},
        "assessment:evidence": {"value_pk": IndicatorValue},
        **{
            f"vehicles:{n}": {"pk": Vehicle}
            for n in (
                "vehicle-detail",
                "vehicle-update",
                "vehicle-status",
                "vehicle-photo",
                "record-create",
            )
        },
        "vehicles:photo": {"pk": VehiclePhoto},
        "vehicles:driver-update": {"pk": Driver},
        "vehicles:assign": {"ticket_id": Ticket},
        **{f"vehicles:{n}": {"pk": Dispatch} for n in ("depart", "cancel")},
        "telematics:alert-detail": {"pk": Alert},
        **{f"telematics:{n}": {"pk": Terminal} for n in ("terminal-detail", "terminal-rotate")},
        "telematics:geofence-edit": {"pk": Geofence},
        "telematics:vehicle-track": {"pk": Vehicle},
        "assets:vehicle-card-link": {"pk": Vehicle},
        "assets:card-detail": {"pk": Asset},
        # A QR label's URL names the card by its number (B's card must be a 404 to A).
        "assets:card-by-number": {"number": "asset_number"},
        "assets:card-action": {"pk": Asset, "action": "asset_action"},
        **{
            f"assetpool:{n}": {"pk": PoolListing}
            for n in ("listing-detail", "listing-edit", "listing-withdraw", "listing-request")
        },
        "assetpool:reuse-return": {"pk": Reuse},
        **{f"stocktake:{n}": {"pk": Stocktake} for n in ("detail", "scan", "counts", "import", "close")},
        **{f"stocktake:{n}": {"pk": Stocktake, "count_id": Count} for n in ("count-remove", "surplus")},
        **{f"energy:{n}": {"pk": OrgUnit} for n in ("institution-detail", "submit")},
        "energy:profile-form": {"pk": OrgUnit, "year": "year"},
        "energy:profile-correct": {"pk": OrgUnit, "year": "year"},
        "energy:sheet": {"pk": OrgUnit, "year": "year", "month": "month"},
        "energy:submission-detail": {"pk": Submission},
        **{f"commandcenter:{n}": {"pk": OrgUnit} for n in ("unit", "unit-json", "unit-export")},
        **{n: {"pk": OrgUnit} for n in ("unit-detail", "unit-update")},
        **{n: {"pk": User} for n in ("person-detail", "person-update", "person-roles", "person-side-posts")},
        **{n: {"pk": ExportJob} for n in ("export-job", "export-download", "export-retry")},
        **{n: {"pk": ImportJob} for n in ("import-job", "import-job-status", "import-retry")},
        "account-token-revoke": {"pk": ApiToken},
        **{
            n: {"pk": RegisteredSystem}
            for n in ("system-detail", "system-update", "system-rotate", "system-suspend", "system-resume")
        },
        "person-tokens-revoke": {"pk": User},
        "consent-revoke": {"pk": Consent},
        "portal:new": {"kind_code": "kind_code"},
        "catalog-detail": {"pk": Dataset},
        "catalog-grant-revoke": {"pk": Grant},
        # The exchange names an entry by its catalog code (B's grants on it must not open it to A).
        "exchange": {"code": "catalog_code"},
        # The tickets' viewset scopes in get_queryset (no class queryset to read the model from).
        **{
            f"ticket-{n}": {"pk": Ticket}
            for n in (
                "detail",
                "comment",
                "complete",
                "decide",
                "hand-on",
                "rate",
                "start",
                "submit",
                "withdraw",
                "assist",
                "supervise",
            )
        },
        # Plain API views (not viewsets).
        "telematics-dispatch-track": {"pk": Dispatch},
        "telematics-vehicle-track": {"pk": Vehicle},
    }


def param_models(route: Route) -> dict | None:
    """``{param: model or literal kind}`` for the route's parameters, or None when nothing says."""
    if not route.params:
        return {}
    if route.surface == "admin":
        return _admin_params(route)
    table = _page_params()
    if route.name in table:
        return table[route.name]
    cls = getattr(route.callback, "cls", None)
    if cls is not None and getattr(cls, "queryset", None) is not None and set(route.params) == {"pk"}:
        return {"pk": cls.queryset.model}
    return None


def admin_model(route: Route):
    """The registered model (and its ModelAdmin) an admin URL belongs to, from the URL name."""
    name = route.name.removeprefix("admin:")
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, model_admin, name.removeprefix(prefix)
    return None, None, None


def _admin_params(route: Route):
    if route.name == "admin:app_list":
        return {"app_label": "app_label"}
    if route.name == "admin:auth_user_password_change":
        from django.contrib.auth import get_user_model

        return {"id": get_user_model()}
    model, _, _ = admin_model(route)
    if model is None:
        return None
    out = {}
    for p in route.params:
        if p in ("object_id", "id", "_arg0"):
            out[p] = model
        elif p == "_arg1":
            out[p] = "history_id"
        else:
            return None
    return out


def unresolved(routes) -> list[str]:
    return [r.id for r in routes if r.params and not skip_reason(r) and param_models(r) is None]
