"""一网协同 pages: co-handling (协办), supervision (督办) and 一件事 bundles. Reads through selectors,
writes through services; a refusal comes back as a Chinese message and nothing is written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from datahub import scoping
from datahub.forms import add_service_errors
from datahub.generic_views import Choice, ObjectActionView, ObjectDetailView, ObjectListView
from datahub.keyed import joined

from . import registry, selectors, services
from .forms import AssistAnswerForm, AssistForm, SupervisionForm
from .models import AssistPart
from .views import _refused, _ticket_context, _ticket_or_404


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}：{joined(errors)}" if label else joined(errors))


def _with_form(request, ticket, key, form):
    """The ticket page again with a form's errors (status 400); nothing was written."""
    context = _ticket_context(request, ticket)
    context[key] = form
    return render(request, "portal/ticket.html", context, status=400)


@login_required
@require_POST
def assist_ask(request, pk):
    ticket = _ticket_or_404(request, pk)
    form = AssistForm(request.POST)
    if form.is_valid():
        try:
            services.assist_ask(actor=request.user, ticket=ticket, **form.cleaned_data)
        except PermissionDenied as exc:
            _refused(request, exc)
            return redirect("portal:ticket", pk=pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已请%(name)s协办。") % {"name": form.cleaned_data["unit"].name})
            return redirect("portal:ticket", pk=pk)
    return _with_form(request, ticket, "assist_form", form)


def _assist_or_404(request, part_pk) -> AssistPart:
    part = selectors.assist_part(part_pk)
    # A part is reachable only through a ticket the user may see (the helper unit sees it through the part).
    if part is None or selectors.ticket_for(request.user, part.ticket_id) is None:
        raise Http404(_("协办事项不存在或您无权查看。"))
    return part


@login_required
@require_POST
def assist_answer(request, pk, action):
    part = _assist_or_404(request, pk)
    form = AssistAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext_lazy("请填写协办结果或理由。"))
        return redirect("portal:ticket", pk=part.ticket_id)
    text = form.cleaned_data["text"]
    try:
        if action == "complete":
            services.assist_complete(actor=request.user, part=part, outcome=text)
            done = _("协办结果已记入办理记录。")
        elif action == "decline":
            services.assist_decline(actor=request.user, part=part, reason=text)
            done = _("已退回协办，主办人将另行安排。")
        else:
            services.assist_withdraw(actor=request.user, part=part, reason=text)
            done = _("已撤回协办。")
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("portal:ticket", pk=part.ticket_id)


@login_required
@require_POST
def supervise(request, pk):
    ticket = _ticket_or_404(request, pk)
    form = SupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_open(actor=request.user, ticket=ticket, **form.cleaned_data)
        except PermissionDenied as exc:
            _refused(request, exc)
            return redirect("portal:ticket", pk=pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext_lazy("已督办，被督办人已收到通知。"))
            return redirect("portal:ticket", pk=pk)
    return _with_form(request, ticket, "supervision_form", form)


STANDINGS = [
    ("", gettext_lazy("全部")),
    ("open", gettext_lazy("督办中")),
    ("on_time", gettext_lazy("按时办结")),
    ("late", gettext_lazy("逾期")),
]


class SupervisionList(ObjectListView):
    """The supervisor's list: open, on time, late; and what needs attention in their scope."""

    template_name = "portal/supervision.html"
    paginate = False
    filters = {"state": Choice([c for c, _ in STANDINGS])}

    def prepare(self) -> None:
        if not scoping.holds_any(self.request.user, selectors.OVERSEERS):
            raise PermissionDenied(_("只有领导和机关事务管理局管理员可以督办。"))
        super().prepare()

    def get_queryset(self):
        return selectors.supervision_list(self.request.user, **self.filter_values)

    def get_context_data(self, **kwargs) -> dict:
        return {
            "attention": list(selectors.needs_attention(self.request.user)[:50]),
            "standings": STANDINGS,
            "state": self.filter_values["state"],
        }


class Bundles(ObjectListView):
    """The user's own 一件事, newest first, and the bundles they may file."""

    template_name = "portal/bundles.html"
    paginate = False

    def get_queryset(self):
        return list(selectors.my_bundles(self.request.user)[:100])

    def get_context_data(self, **kwargs) -> dict:
        return {"bundle_kinds": registry.all_bundles()}


@login_required
def bundle_new(request, code):
    try:
        kind = registry.get_bundle(code)
    except ValidationError as exc:
        raise Http404(_("没有这种一件事。")) from exc
    form = kind.form_class(request.POST or None, requester=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            bundle = services.bundle_file(requester=request.user, bundle_code=code, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已提交：%(title)s（%(count)s个事项）")
                % {"title": bundle.shown_title, "count": bundle.members.count()},
            )
            return redirect("portal:bundle", pk=bundle.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/bundle_form.html", {"kind": kind, "form": form}, status=status)


def _bundle_or_404(request, pk):
    bundle = selectors.bundle_for(request.user, pk)
    if bundle is None:
        raise Http404(_("一件事不存在或您无权查看。"))
    return bundle


class BundlePage(ObjectDetailView):
    template_name = "portal/bundle.html"
    context_object_name = "bundle"

    def get_object(self):
        return _bundle_or_404(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs) -> dict:
        bundle = self.object
        members = list(selectors.bundle_members(bundle))
        labels = {m.key: m.label for m in registry.get_bundle(bundle.kind).members}
        for ticket in members:
            ticket.member_label = labels.get(ticket.bundle_member, ticket.bundle_member)
        return {
            "members": members,
            "timeline": selectors.bundle_timeline(bundle),
            "can_withdraw": bundle.requester_id == self.request.user.pk and bundle.state == "in_progress",
        }


class BundleWithdraw(ObjectActionView):
    """The requester withdraws the bundle's members not yet approved (the service decides which)."""

    success_message = gettext_lazy("已撤回尚未批准的事项。")

    def get_object(self):
        return _bundle_or_404(self.request, self.kwargs["pk"])

    def perform(self, obj, data):
        services.bundle_withdraw(actor=self.request.user, bundle=obj, comment=self.request.POST.get("comment", ""))

    def get_success_url(self, obj) -> str:
        return reverse("portal:bundle", kwargs={"pk": obj.pk})
