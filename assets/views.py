"""Asset pages. Reads go through selectors (scoped), writes through services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub.exports import export_response
from datahub.forms import add_service_errors
from datahub.import_views import upload_page
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page
from datahub.roles import Role
from datahub.selectors import history_with_changes
from portal.selectors import visible_tickets

from . import exporters, forms, imports, labels, rules, selectors, services
from .models import Asset

LABELS_MAX = 200


PAGES = PageScope(readers=selectors.ASSET_READERS, subject="资产台账")


def _card_or_404(request, pk) -> Asset:
    return get_object_or_404(selectors.assets_for(request.user), pk=pk)


@login_required
def home(request):
    PAGES.require_reader(request)
    qs = selectors.assets_for(request.user).order_by()
    by_status = {
        row["status"]: row
        for row in qs.values("status").annotate(n=Count("pk"), value=Sum("original_value")).order_by("status")
    }
    statuses = [
        {"label": s.label, "value": s.value, "n": by_status.get(s.value, {}).get("n", 0),
         "amount": by_status.get(s.value, {}).get("value") or 0}
        for s in rules.AssetStatus
    ]  # fmt: skip
    return render(
        request,
        "assets/home.html",
        {
            "statuses": statuses,
            "summary": selectors.depreciation_summary(request.user),
            "can_edit": scoping.holds_any(request.user, selectors.ASSET_EDITORS),
        },
    )


@login_required
def card_list(request):
    PAGES.require_reader(request)
    if request.GET.get("export") == "xlsx":
        return export_response(request, "assets")
    qs = exporters.cards_queryset(request.user, request.GET)
    return render(
        request,
        "assets/card_list.html",
        {
            "page": page_of(request, qs),
            "units": PAGES.units(request),
            "statuses": rules.AssetStatus.choices,
            "categories": selectors.category_choices(),
            "query": query_without_page(request),
            "can_add": scoping.holds_any(request.user, selectors.ASSET_EDITORS),
        },
    )


@login_required
def card_create(request):
    if not scoping.holds_any(request.user, selectors.ASSET_EDITORS):
        raise PermissionDenied("您没有资产入账的权限。")
    form = forms.CardForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            card = services.register_card(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("org_unit", str(exc))
        else:
            messages.success(request, f"已入账：{card.asset_number}。")
            return redirect("assets:card-detail", pk=card.pk)
    return render(request, "assets/form.html", {"form": form, "title": "资产入账"})


@login_required
def card_detail(request, pk):
    asset = _card_or_404(request, pk)
    can_edit = scoping.covers(request.user, asset.org_unit, roles=selectors.ASSET_EDITORS)
    return render(
        request,
        "assets/card_detail.html",
        {
            "asset": asset,
            "movements": selectors.movements_for(request.user, asset=asset)[:100],
            "history": history_with_changes(asset),
            "depreciation": selectors.depreciation_of(asset).reverse()[:24],
            "can_edit": can_edit,
            "actions": ACTIONS if can_edit else {},
            "qr": labels.qr_svg(asset.asset_number, 4),
        },
    )


# --- Lifecycle actions: one table, one view ----------------------------------------------------------


def _ticket(request, pk):
    # Only a request the user may see can be cited (an unknown and an unseen one get the same answer).
    return visible_tickets(request.user).filter(pk=pk).first() if pk else None


def _do_issue(request, asset, d):
    return services.issue(asset=asset, to_person=d["to_person"], room=d.get("room"), actor=request.user, note=d["note"])


def _do_lend(request, asset, d):
    ticket = _ticket(request, d.get("ticket"))
    if d.get("ticket") and ticket is None:
        raise ValidationError({"ticket": f"没有编号为{d['ticket']}的申请。"})
    return services.lend(
        asset=asset,
        to_unit_or_party=d.get("to_unit") or d.get("party", ""),
        until=d["until"],
        income=d.get("income"),
        ticket=ticket,
        actor=request.user,
        note=d["note"],
    )


ACTIONS = {
    "issue": ("领用", forms.IssueForm, _do_issue),
    "return": ("归还", forms.ReturnForm, lambda r, a, d: services.return_asset(asset=a, actor=r.user, note=d["note"])),
    "transfer": (
        "调拨",
        forms.TransferForm,
        lambda r, a, d: services.transfer(asset=a, to_unit=d["to_unit"], actor=r.user, reason=d["reason"]),
    ),
    "lend": ("出租出借", forms.LendForm, _do_lend),
    "return-lent": (
        "收回出租出借",
        forms.ReturnLentForm,
        lambda r, a, d: services.return_lent(
            asset=a, actor=r.user, income=d.get("income"), to_status=d["to_status"], note=d["note"]
        ),
    ),
    "repair-start": (
        "送修",
        forms.RepairForm,
        lambda r, a, d: services.start_repair(asset=a, actor=r.user, note=d["note"]),
    ),
    "repair-end": (
        "维修完成",
        forms.RepairForm,
        lambda r, a, d: services.end_repair(asset=a, actor=r.user, cost=d.get("cost"), note=d["note"]),
    ),
    "dispose": (
        "处置",
        forms.DisposeForm,
        lambda r, a, d: services.dispose(
            asset=a, way=d["way"], on=d.get("on"), income=d.get("income"), actor=r.user, note=d["note"]
        ),
    ),
    "relocate": (
        "变更存放地点/保管人",
        forms.RelocateForm,
        lambda r, a, d: services.relocate(
            asset=a, room=d.get("room"), custodian=d.get("custodian"), actor=r.user, reason=d["reason"]
        ),
    ),
    "status": (
        "变更状态",
        forms.StatusForm,
        lambda r, a, d: services.set_status(asset=a, status=d["status"], actor=r.user, reason=d["reason"]),
    ),
}
TAKES_CONTEXT = (forms.IssueForm, forms.TransferForm, forms.LendForm, forms.RelocateForm)


@login_required
def card_action(request, pk, action):
    asset = _card_or_404(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied("没有这种操作。")
    if not scoping.covers(request.user, asset.org_unit, roles=selectors.ASSET_EDITORS):
        raise PermissionDenied("您没有管理该资产的权限。")
    label, form_class, run = ACTIONS[action]
    kwargs = {"actor": request.user, "asset": asset} if form_class in TAKES_CONTEXT else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            run(request, asset, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{label}已办理。")
            return redirect("assets:card-detail", pk=asset.pk)
    return render(request, "assets/form.html", {"form": form, "title": label, "object": asset})


# --- Labels, import, depreciation, categories ---------------------------------------------------------


@login_required
def label_sheet(request):
    """A printable sheet of QR labels: the cards ticked on the list (?ids=) or the filtered list."""
    PAGES.require_reader(request)
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdecimal()]
    qs = exporters.cards_queryset(request.user, request.GET)
    if ids:
        qs = qs.filter(pk__in=ids)
    cards = list(qs[: LABELS_MAX + 1])
    truncated = len(cards) > LABELS_MAX
    return render(
        request,
        "assets/labels.html",
        {"labels": labels.labels(cards[:LABELS_MAX]), "truncated": truncated, "max": LABELS_MAX},
    )


@login_required
def card_import(request):
    return upload_page(request, imports.CardImporter.kind, "assets/import.html")


@login_required
def depreciation(request):
    PAGES.require_reader(request)
    return render(
        request,
        "assets/depreciation.html",
        {
            "summary": selectors.depreciation_summary(request.user),
            "months": selectors.monthly_depreciation(request.user),
            "runs": selectors.runs(),
            "can_post": scoping.holds_any(request.user, (Role.BUREAU_ADMIN,)),
            "convention": rules.DepreciationStart(selectors.depreciation_start_convention()).label,
            "last_month": rules.last_closed_month(timezone.localdate()),
        },
    )


@login_required
@require_POST
def depreciation_post(request):
    """The bureau posts the closed months now (the same idempotent service the monthly task runs)."""
    if not request.user.is_superuser and not scoping.holds_any(request.user, (Role.BUREAU_ADMIN,)):
        raise PermissionDenied("只有机关事务管理局管理员可以手工计提折旧。")
    try:
        month = date.fromisoformat(request.POST.get("month", "") + "-01") if request.POST.get("month") else None
    except ValueError:
        messages.error(request, "月份格式应为 YYYY-MM。")
        return redirect("assets:depreciation")
    if month and month > rules.last_closed_month(timezone.localdate()):
        messages.error(request, "只能计提已结束的月份。")
        return redirect("assets:depreciation")
    runs = services.post_depreciation_by_hand(actor=request.user, month=month)
    messages.success(request, "已计提：" + "、".join(f"{r.month:%Y-%m}（{r.cards}张卡片）" for r in runs))
    return redirect("assets:depreciation")


@login_required
def category_list(request):
    PAGES.require_reader(request)
    qs = selectors.categories()
    if request.GET.get("q"):
        q = request.GET["q"].strip()
        qs = qs.filter(code__startswith=q) | qs.filter(name__icontains=q)
    return render(
        request,
        "assets/categories.html",
        {"page": page_of(request, qs, size=100), "query": query_without_page(request)},
    )
