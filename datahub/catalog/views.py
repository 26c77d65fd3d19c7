"""Pages of the data-sharing catalog. Reads go through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import scoping
from ..exports import export_response
from ..generic_views import ObjectFormView
from ..keyed import joined
from ..paging import page_of, query_without_page
from ..params import as_id
from ..selectors import with_parent_name, with_unit_parent_name
from . import hooks, rules, selectors, services
from .forms import ExternalDatasetForm, RevokeForm
from .models import TrailRecord


def _dataset_or_404(request, pk):
    dataset = selectors.dataset_for(request.user, as_id(pk))
    if dataset is None:
        raise Http404(_("目录中没有该资源。"))
    return dataset


@login_required
def catalog_list(request):
    """The one catalog: every signed-in person browses it (a consumer must see what exists to ask for it)."""
    if request.GET.get("export") == "xlsx":
        services.trail_append(
            kind=TrailRecord.Kind.EXPORT,
            caller_user=request.user,
            caller_unit=request.user.org_unit,
            dataset_code="*",
            filter=request.META.get("QUERY_STRING", "")[:500],
            rows=selectors.catalog_size(request.user, request.GET),
            status=200,
        )
        return export_response(request, "catalog")
    if request.GET.get("provider") and selectors.provider_unit(request.GET["provider"]) is None:
        # An old link or a unit since removed: the list is empty (catalog_for) and says why.
        messages.warning(request, _("所选提供单位不存在，列表为空。"))
    # The provider named with its agency (财政厅 › 办公室), read in the list's own query.
    page = page_of(request, with_unit_parent_name(selectors.catalog_for(request.user, request.GET), "provider"))
    return render(
        request,
        "datahub/catalog/list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "providers": with_parent_name(selectors.providers()),
            "categories": rules.CATEGORY_LEI.items(),
            "share_types": rules.ShareType.choices,
            "formats": rules.Format.choices,
            "can_register": scoping.holds_any(request.user, services.STEWARDS),
            "can_see_trail": scoping.holds_any(request.user, selectors.TRAIL_READERS),
        },
    )


@login_required
def catalog_detail(request, pk):
    dataset = _dataset_or_404(request, pk)
    return render(
        request,
        "datahub/catalog/detail.html",
        {
            "dataset": dataset,
            "items": selectors.dataset_items(dataset),
            "versions": selectors.dataset_versions(dataset),
            "consumers": selectors.consumers_of(dataset, request.user, limit=100),
            "usage": selectors.usage_of(dataset),
            "consumer_usage": selectors.usage_rows_for(request.user, {"dataset": dataset.code})[:50],
            "corrections": hooks.open_corrections(dataset),
            "requestable": rules.requestable(dataset.share_type, dataset.status),
        },
    )


class CatalogRegister(ObjectFormView):
    """A data steward registers an external information resource (its items typed one per line)."""

    form_class = ExternalDatasetForm
    form_takes_actor = True
    title = _("登记外部信息资源")

    def check_permission(self, obj) -> None:
        if not scoping.holds_any(self.request.user, services.STEWARDS):
            raise PermissionDenied(_("只有数据管理员可以登记外部信息资源。"))

    def perform(self, form, obj):
        data = dict(form.cleaned_data)
        items_text = data.pop("items_text")
        return services.dataset_register_external(actor=self.request.user, items_text=items_text, **data)

    def get_success_message(self, result) -> str:
        return _("已登记信息资源“%(name)s”。") % {"name": result.name}

    def get_success_url(self, result) -> str:
        return reverse("catalog-detail", kwargs={"pk": result.pk})

    def get_context_data(self, form) -> dict:
        return {"cancel_url": reverse("catalog-list")}


@login_required
def grant_list(request):
    """The grants the user may see; ``?unit=<id>&side=given|received`` narrows to those in force today given or
    received by the unit's subtree (a unit out of the user's sight lists nothing, and says so)."""
    grants, unit = selectors.grants_for(request.user), None
    if "unit" in request.GET:
        unit = selectors.grant_reader_unit(request.user, request.GET["unit"])
        if unit is None:
            messages.warning(request, _("所选单位不存在或不在您的管理范围内，列表为空。"))
            grants = grants.none()
        else:
            side = "given" if request.GET.get("side") == "given" else "received"
            grants = selectors.grants_of_unit(request.user, unit=unit, side=side)
    page = page_of(request, grants)
    return render(
        request, "datahub/catalog/grants.html", {"page": page, "query": query_without_page(request), "unit": unit}
    )


@login_required
@require_POST
def grant_revoke(request, pk):
    grant = selectors.grant_of(request.user, as_id(pk))
    if grant is None:
        raise Http404(_("没有该授权。"))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤销授权必须填写原因。"))
        return redirect("catalog-grants")
    try:
        services.grant_revoke(actor=request.user, grant=grant, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, joined(exc.messages))
    else:
        messages.success(request, _("授权已撤销，下一次调用即不再返回数据。"))
    return redirect("catalog-grants")


@login_required
def trail_list(request):
    if not scoping.holds_any(request.user, selectors.TRAIL_READERS):
        raise PermissionDenied(_("只有审计员、数据管理员和机关事务管理局管理员可以查看调用日志。"))
    if request.GET.get("export") == "xlsx":
        return export_response(request, "trail")
    return render(
        request,
        "datahub/catalog/trail.html",
        {
            "page": page_of(request, selectors.trail_for(request.user, request.GET)),
            "query": query_without_page(request),
        },
    )


@login_required
def trail_verify(request):
    if not scoping.holds_any(request.user, selectors.TRAIL_READERS):
        raise PermissionDenied(_("只有审计员、数据管理员和机关事务管理局管理员可以校验调用日志。"))
    result = selectors.verify_trail() if request.method == "POST" else None
    return render(request, "datahub/catalog/verify.html", {"result": result})


@login_required
def zombie_list(request):
    if not scoping.holds_any(request.user, services.STEWARDS):
        raise PermissionDenied(_("只有数据管理员可以查看僵尸目录。"))
    page = page_of(request, selectors.zombies_for(request.user))
    return render(request, "datahub/catalog/zombies.html", {"page": page, "query": query_without_page(request)})


@login_required
def usage_list(request):
    """用量: per entry and consumer, for the providers' data stewards (their entries), the catalog administrators
    (all) and the leaders (their units' calls and their units' entries, read-only: the command center's exchange
    figures open it with ``?unit=`` or ``?provider=`` and the period)."""
    if not scoping.holds_any(request.user, selectors.USAGE_READERS):
        raise PermissionDenied(_("只有数据管理员和领导可以查看资源的使用情况。"))
    rows = selectors.usage_rows_for(request.user, request.GET)
    # The unit the list is narrowed to, named in the heading when the reader may see it. (A steward may narrow
    # to a consumer of another agency: the rows are scoped either way, by the entries and the calls they read.)
    narrowed = {
        side: selectors.grant_reader_unit(request.user, request.GET[side])
        for side in ("unit", "provider")
        if request.GET.get(side)
    }
    if None in narrowed.values() and not rows.exists():
        messages.warning(request, _("所选单位不存在或不在您的管理范围内，列表为空。"))
    return render(
        request,
        "datahub/catalog/usage.html",
        {
            "page": page_of(request, rows),
            "query": query_without_page(request),
            "consumer": narrowed.get("unit"),
            "provider": narrowed.get("provider"),
        },
    )
