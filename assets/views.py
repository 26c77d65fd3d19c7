"""Asset pages. Reads go through selectors (scoped), writes through services; the lists, forms and
buttons are datahub.generic_views classes."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from datahub import formatting, scoping
from datahub.forms import pick_query
from datahub.generic_views import ObjectFormView, ObjectListView, Search
from datahub.import_views import upload_page
from datahub.labels import shown
from datahub.pages import OPTION, SELECTED, PageScope, options_html
from datahub.paging import RowMarkup, row_url
from datahub.params import as_date
from datahub.roles import Role
from datahub.selectors import history_with_changes, with_unit_parent_name
from vehicles import selectors as vehicle_selectors
from vehicles import services as vehicle_services

from . import exporters, forms, imports, labels, rules, selectors, services
from .models import Asset

LABELS_MAX = 200


PAGES = PageScope(readers=selectors.ASSET_READERS, subject=_("资产台账"))


def _card_or_404(request, pk) -> Asset:
    return get_object_or_404(selectors.assets_for(request.user), pk=pk)


@login_required
def home(request):
    PAGES.require_reader(request)
    return render(
        request,
        "assets/home.html",
        {
            "statuses": selectors.status_totals(request.user),
            "summary": selectors.depreciation_summary(request.user),
            "can_edit": scoping.holds_any(request.user, selectors.ASSET_EDITORS),
        },
    )


# A card's row; ``{repair_tag}`` is the 维修中 tag or nothing.
CARD_ROW_MARKUP = RowMarkup(
    '<tr><td><input type="checkbox" name="ids" value="{pk}" aria-label="{number}"></td>'
    '<td><a href="{url}">{number}</a></td><td>{name}{repair_tag}</td><td>{category}</td><td>{original_value}</td>'
    "<td>{net_value}</td><td>{unit}</td><td>{custodian}</td><td>{location}</td><td>{status}</td></tr>\n"
)


class CardList(ObjectListView):
    """The filters are read by ``exporters.cards_queryset``, which the card export (kind "assets") and
    the label sheet share, so the three always list the same cards."""

    pages = PAGES
    template_name = "assets/card_list.html"
    adders = selectors.ASSET_EDITORS
    export_kind = "assets"

    def get_queryset(self):
        # The unit column names a department with its agency (财政厅 › 办公室), read in the same query.
        return with_unit_parent_name(exporters.cards_queryset(self.request.user, self.request.GET))

    def get_page_items(self):
        page = exporters.card_page(self.request.user, self.request.GET, size=self.page_size)
        return self.get_queryset() if page is None else page

    def on_page(self, page) -> None:
        # Each cell of the fifty rows formatted once here, the template only places them: filters, methods
        # and a {% url %} per cell were most of the page's time (#17). The rows are read as values() with the
        # columns shown: no card, category, unit, custodian, room and building instances per row.
        url = row_url("assets:card-detail")
        statuses = {value: shown(label) for value, label in rules.AssetStatus.choices}  # translated once
        zero = Decimal("0")
        repair_tag = format_html(' <span class="tag">{}</span>', _("维修中"))
        page.object_list = [
            {
                "pk": a["pk"],
                "url": url(a["pk"]),
                "number": a["asset_number"],
                "name": a["name"],
                "repair_tag": repair_tag if a["under_repair"] else "",
                "category": f"{a['category__code']} {a['category__name']}",
                "original_value": formatting.number(a["original_value"]),
                # 净值 as the card's net_book_value: never below zero.
                "net_value": formatting.number(max(a["original_value"] - a["accumulated_depreciation"], zero)),
                "unit": formatting.unit_name(a["org_unit__name"], a["org_unit__level"], a["unit_parent_name"]),
                "custodian": a["custodian__name"] or formatting.EMPTY,
                # A room as its __str__ reads it (楼宇 房间号).
                "location": f"{a['location__building__name']} {a['location__number']}"
                if a["location_id"]
                else formatting.EMPTY,
                "status": statuses.get(a["status"], a["status"]),
            }
            for a in exporters.card_rows(page.object_list)
        ]
        page.rows_html = CARD_ROW_MARKUP.render(page.object_list)

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("category")
        return {
            "units": PAGES.units(self.request),
            "status_options": options_html(rules.AssetStatus.choices, self.request.GET.get("status")),
            # ~100 GB/T 14885 categories: their options filled without a template loop (#17).
            "category_options": OPTION.render(
                {"value": code, "label": f"{code} {name}", "selected": SELECTED if code == chosen else ""}
                for code, name in exporters.category_names()
            ),
        }


class _CardForm(ObjectFormView):
    def get_success_url(self, card):
        return reverse("assets:card-detail", args=[card.pk])


class CardCreate(_CardForm):
    form_class = forms.CardForm
    form_takes_actor = True
    title = _("资产入账")

    def check_permission(self, obj):
        if not scoping.holds_any(self.request.user, selectors.ASSET_EDITORS):
            raise PermissionDenied(_("您没有资产入账的权限。"))

    def perform(self, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            return services.register_card(actor=self.request.user, **data)
        except PermissionDenied as exc:
            # The only refusal is the unit the card is booked to.
            raise ValidationError({"org_unit": str(exc)}) from exc

    def get_success_message(self, card):
        return _("已入账：%(asset_number)s。") % {"asset_number": card.asset_number}

    def get_context_data(self, form):
        cards = reverse("assets:card-list")
        return {"cancel_url": cards, "heading": self.title, "breadcrumbs": [(_("资产卡片"), cards)]}


class BuildingCardCreate(_CardForm):
    form_class = forms.BuildingCardForm
    form_takes_actor = True
    title = _("楼宇建卡")

    def check_permission(self, obj):
        if not scoping.holds_any(self.request.user, selectors.ASSET_EDITORS):
            raise PermissionDenied(_("您没有资产入账的权限。"))

    def perform(self, form, obj):
        return services.building_card_register(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, card):
        return _("已入账：%(asset_number)s。") % {"asset_number": card.asset_number}

    def get_context_data(self, form):
        cards = reverse("assets:card-list")
        return {"cancel_url": cards, "heading": self.title, "breadcrumbs": [(_("资产卡片"), cards)]}


class VehiclesWithoutCard(ObjectListView):
    """公务用车 not yet linked to an asset card, for the asset administrator to link (一数一源)."""

    pages = PageScope(readers=selectors.ASSET_EDITORS, subject=_("未建卡车辆"))
    template_name = "assets/vehicles_without_card.html"

    def get_queryset(self):
        return vehicle_selectors.vehicles_without_card(self.request.user, roles=selectors.ASSET_EDITORS)


class VehicleCardLink(ObjectFormView):
    form_class = forms.VehicleCardLinkForm
    title = _("关联资产卡片")

    def get_scoped_queryset(self):
        return vehicle_selectors.vehicles_without_card(self.request.user, roles=selectors.ASSET_EDITORS)

    def perform(self, form, vehicle):
        return vehicle_services.vehicle_card_link(
            actor=self.request.user, vehicle=vehicle, asset_number=form.cleaned_data["asset_number"]
        )

    def get_success_url(self, vehicle):
        return reverse("assets:vehicles-without-card")

    def get_context_data(self, form):
        back = reverse("assets:vehicles-without-card")
        return {
            "cancel_url": back,
            "heading": _("%(title)s：%(name)s") % {"title": self.title, "name": self.object},
            "breadcrumbs": [(_("未建卡车辆"), back)],
        }


def _offered_actions(asset) -> dict:
    """The actions the card's state allows (a disposed card offers none, a lent one only 收回)."""
    keys = rules.card_actions(asset.status, under_repair=asset.under_repair, has_custodian=bool(asset.custodian_id))
    return {key: ACTIONS[key] for key in keys}


@login_required
def card_by_number(request, number):
    """Where a label's QR code leads: the card with that asset number, if the user may see it
    (another unit's card is a 404, like its card page)."""
    asset = get_object_or_404(selectors.assets_for(request.user), asset_number=number.strip())
    return redirect("assets:card-detail", pk=asset.pk)


@login_required
def card_detail(request, pk):
    asset = _card_or_404(request, pk)
    can_edit = scoping.covers(request.user, asset.org_unit, roles=selectors.ASSET_EDITORS)
    return render(
        request,
        "assets/card_detail.html",
        {
            "asset": asset,
            "movements": selectors.movements_for(request.user, asset=asset, limit=100),
            "history": history_with_changes(asset),
            "depreciation": selectors.latest_depreciation(asset),
            "can_edit": can_edit,
            "actions": _offered_actions(asset) if can_edit else {},
            "qr": labels.qr_svg(labels.card_url(request, asset.asset_number), 3),
            # 一数一源: the building's area and structure, the vehicle behind the card — read from their ledgers.
            "building": selectors.card_building(asset),
            "vehicle": vehicle_selectors.vehicle_of_card(asset.pk),
        },
    )


# --- Lifecycle actions: one table, one view ----------------------------------------------------------


def _do_issue(request, asset, d):
    return services.issue(asset=asset, to_person=d["to_person"], room=d.get("room"), actor=request.user, note=d["note"])


def _do_lend(request, asset, d):
    ticket = selectors.visible_ticket(request.user, d.get("ticket"))
    if d.get("ticket") and ticket is None:
        raise ValidationError({"ticket": _("没有编号为%(ticket)s的申请。") % {"ticket": d["ticket"]}})
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
    "issue": (_("领用"), forms.IssueForm, _do_issue),
    "return": (
        _("归还"),
        forms.ReturnForm,
        lambda r, a, d: services.return_asset(asset=a, actor=r.user, note=d["note"]),
    ),
    "transfer": (
        _("调拨"),
        forms.TransferForm,
        lambda r, a, d: services.transfer(asset=a, to_unit=d["to_unit"], actor=r.user, reason=d["reason"]),
    ),
    "lend": (_("出租出借"), forms.LendForm, _do_lend),
    "return-lent": (
        _("收回出租出借"),
        forms.ReturnLentForm,
        lambda r, a, d: services.return_lent(
            asset=a, actor=r.user, income=d.get("income"), to_status=d["to_status"], note=d["note"]
        ),
    ),
    "repair-start": (
        _("送修"),
        forms.RepairForm,
        lambda r, a, d: services.start_repair(asset=a, actor=r.user, note=d["note"]),
    ),
    "repair-end": (
        _("维修完成"),
        forms.RepairForm,
        lambda r, a, d: services.end_repair(asset=a, actor=r.user, cost=d.get("cost"), note=d["note"]),
    ),
    "dispose": (
        _("处置"),
        forms.DisposeForm,
        lambda r, a, d: services.dispose(
            asset=a, way=d["way"], on=d.get("on"), income=d.get("income"), actor=r.user, note=d["note"]
        ),
    ),
    "relocate": (
        _("变更存放地点/保管人"),
        forms.RelocateForm,
        lambda r, a, d: services.relocate(
            asset=a, room=d.get("room"), custodian=d.get("custodian"), actor=r.user, reason=d["reason"]
        ),
    ),
    "status": (
        _("变更状态"),
        forms.StatusForm,
        lambda r, a, d: services.set_status(asset=a, status=d["status"], actor=r.user, reason=d["reason"]),
    ),
}
TAKES_CONTEXT = (forms.IssueForm, forms.TransferForm, forms.LendForm, forms.RelocateForm)


class CardAction(_CardForm):
    """One lifecycle step on a card (``ACTIONS[action]``): its form, its service, back to the card."""

    def get_scoped_queryset(self):
        return selectors.assets_for(self.request.user)

    def check_permission(self, asset):
        if self.kwargs["action"] not in ACTIONS:
            raise Http404(_("没有这种操作。"))
        if not scoping.covers(self.request.user, asset.org_unit, roles=selectors.ASSET_EDITORS):
            raise PermissionDenied(_("您没有管理该资产的权限。"))
        self.title, self.form_class, self.run = ACTIONS[self.kwargs["action"]]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class in TAKES_CONTEXT:
            kwargs.update(actor=self.request.user, asset=self.object)
        return kwargs

    def perform(self, form, asset):
        self.run(self.request, asset, form.cleaned_data)
        return asset

    def get_success_message(self, asset):
        return _("%(title)s已办理。") % {"title": self.title}

    def get_context_data(self, form):
        asset = self.object
        detail = reverse("assets:card-detail", args=[asset.pk])
        return {
            "cancel_url": detail,
            "heading": _("%(title)s：%(name)s") % {"title": self.title, "name": f"{asset.asset_number} {asset.name}"},
            "heading_note": asset.get_status_display(),
            "submit_label": _("提交"),
            "breadcrumbs": [(_("资产卡片"), reverse("assets:card-list")), (asset.asset_number, detail)],
        }


# --- Labels, import, depreciation, categories ---------------------------------------------------------


@login_required
def label_sheet(request):
    """A printable sheet of QR labels: the cards ticked on the list (?ids=) or the filtered list."""
    PAGES.require_reader(request)
    # ?ids=8&ids=9 (the list's ticked boxes) or ?ids=8,9 (a typed or shared address): the same two labels.
    ids = [
        int(i) for raw in request.GET.getlist("ids") for i in raw.replace("，", ",").split(",") if i.strip().isdecimal()
    ]
    cards = exporters.label_cards(request.user, request.GET, ids=ids, limit=LABELS_MAX)
    truncated = len(cards) > LABELS_MAX
    return render(
        request,
        "assets/labels.html",
        {"labels": labels.labels(request, cards[:LABELS_MAX]), "truncated": truncated, "max": LABELS_MAX},
    )


@login_required
def card_import(request):
    return upload_page(request, imports.CardImporter.kind, "assets/import.html")


@login_required
def depreciation(request):
    """The depreciation of the visible cards; ``?unit=`` (its subtree) and ``since``/``until`` (the months they
    touch) narrow the months to what the command center's 本期折旧 counts, with their total."""
    PAGES.require_reader(request)
    unit = PAGES.within(request)
    since, until = as_date(request.GET.get("since")), as_date(request.GET.get("until"))
    months = selectors.monthly_depreciation(request.user, unit=unit, since=since, until=until, limit=120)
    return render(
        request,
        "assets/depreciation.html",
        {
            "summary": selectors.depreciation_summary(request.user, unit=unit),
            "months": months,
            "unit": unit,
            "since": since,
            "until": until,
            "period_total": sum(m["total"] for m in months) if since or until else None,
            "runs": selectors.runs(),
            "can_post": scoping.holds_any(request.user, (Role.BUREAU_ADMIN,)),
            "convention": rules.DEPRECIATION_TIMING,
            "last_month": rules.last_closed_month(timezone.localdate()),
        },
    )


@login_required
@require_POST
def depreciation_post(request):
    """The bureau posts the closed months now (the same idempotent service the monthly task runs). The
    service's refusal (another unit's cards due) is a 403, not a message, so this stays a function."""
    if not request.user.is_superuser and not scoping.holds_any(request.user, (Role.BUREAU_ADMIN,)):
        raise PermissionDenied(_("只有机关事务管理局管理员可以手工计提折旧。"))
    try:
        month = date.fromisoformat(request.POST.get("month", "") + "-01") if request.POST.get("month") else None
    except ValueError:
        messages.error(request, _("月份格式应为 YYYY-MM。"))
        return redirect("assets:depreciation")
    if month and month > rules.last_closed_month(timezone.localdate()):
        messages.error(request, _("只能计提已结束的月份。"))
        return redirect("assets:depreciation")
    runs = services.post_depreciation_by_hand(actor=request.user, month=month)
    done = [_("%(month)s（%(cards)s张卡片）") % {"month": f"{r.month:%Y-%m}", "cards": r.cards} for r in runs]
    messages.success(request, _("已计提：%(months)s") % {"months": str(_("、")).join(done)})
    return redirect("assets:depreciation")


class CategoryList(ObjectListView):
    pages = PAGES
    template_name = "assets/categories.html"
    filters = {"q": Search()}
    page_size = 100

    def get_queryset(self):
        return selectors.categories(search=self.filter_values["q"])


@login_required
def pick(request):
    """Suggestions for a card picker (PickInput): the cards this user may pick for ``?for=``, by number, name or
    category — the same selector the form's check uses, so nothing outside the user's books is offered."""
    purpose = request.GET.get("for", "")
    raw = request.GET.get("ticket", "")
    ticket = selectors.visible_ticket(request.user, int(raw)) if purpose == "issue" and raw.isdigit() else None
    cards = selectors.pickable_cards(
        request.user, purpose=purpose, search=pick_query(request), unit=ticket.org_unit if ticket else None
    )[: selectors.PICK_LIMIT]
    return render(request, "assets/pick_options.html", {"cards": cards})


@login_required
def pool_alternatives(request):
    """先仓后购 live on the purchase and 资产领用 forms (PoolAlternativesSelect): the pool's items of the picked
    category that this user may take, through the same selector the form's check and the approver's ticket
    read — nothing outside what the pool shows the user. ``?by=code`` when the select sends the code."""
    category = selectors.category_by(request.GET.get("category", ""), by=request.GET.get("by", "pk"))
    rows = selectors.purchase_alternatives(category, request.user) if category else []
    return render(request, "assets/pool_alternatives.html", {"category": category, "rows": rows})
