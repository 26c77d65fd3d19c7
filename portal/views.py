"""Portal pages: file a request, my requests, the approval inbox, the handling queue, a ticket's page.
Reads through selectors, writes through services; every refusal comes back as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from datahub import formatting, scoping
from datahub.forms import add_service_errors
from datahub.generic_views import Date, Flag, Id, ObjectActionView, ObjectDetailView, ObjectListView, Text
from datahub.keyed import Keyed, joined, listed
from datahub.labels import choice_shown
from datahub.pages import options_html

from . import registry, selectors, services
from .forms import AssistAnswerForm, AssistForm, CommentForm, DecisionForm, HandOnForm, RatingForm, SupervisionForm
from .inbox_page import inbox_page
from .list_rows import InboxRows, TicketRows
from .mine_page import my_requests_page
from .models import ATTACHMENT_EXTENSIONS, TicketStep
from .workflow import Action, Status, allowed

PAGE_SIZE = 30
SINGLE = TicketStep.Rule.SINGLE


def _ticket_or_404(request, pk):
    ticket = selectors.ticket_for(request.user, pk)
    if ticket is None:
        raise Http404(_("申请不存在或您无权查看。"))
    return ticket


class TicketMixin:
    """The ticket of the URL, when the user may see it (404 otherwise, whatever the request says)."""

    def get_object(self):
        return _ticket_or_404(self.request, self.kwargs["pk"])


def _safe_next(request) -> str | None:
    """Where to go back to after a one-click decision: only a path on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _refused(request, exc) -> None:
    text = joined(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("您无权执行该操作。"))
    messages.error(request, text)


@login_required
def home(request):
    grouped: dict[str, list] = {}
    for kind in registry.all_kinds():
        grouped.setdefault(kind.domain, []).append(kind)
    oversees = scoping.holds_any(request.user, selectors.OVERSEERS)
    counts = selectors.counts_for(request.user)
    if oversees:
        counts["attention"] = selectors.attention_count(request.user)
    return render(
        request,
        "portal/home.html",
        {"grouped": grouped, "counts": counts, "bundle_kinds": registry.all_bundles(), "oversees": oversees},
    )


@login_required
def file_new(request, kind_code):
    try:
        kind = registry.get(kind_code)
    except ValidationError as exc:
        raise Http404(str(exc)) from exc
    form = registry.detail_form(kind, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.file_request(
                requester=request.user,
                kind_code=kind.code,
                detail_fields=form.cleaned_data,
                submit=request.POST.get("draft") is None,
                # Files chosen on the filing form go with it (checked by type and size, as on the ticket).
                attachments=request.FILES.getlist("attachment"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = _("已保存草稿") if ticket.status == Status.DRAFT else _("申请已提交")
            messages.success(request, f"{done}：#{ticket.pk} {ticket.shown_title}")
            return redirect("portal:ticket", pk=ticket.pk)
    return render(
        request,
        "portal/file.html",
        {"kind": kind, "form": form, "attach": True, "extensions": listed(ATTACHMENT_EXTENSIONS)},
    )


@login_required
def ticket_edit(request, pk):
    ticket = _ticket_or_404(request, pk)
    if ticket.requester_id != request.user.pk or ticket.status not in (Status.DRAFT, Status.RETURNED):
        raise PermissionDenied(_("只有草稿或被退回的申请可以由申请人修改。"))
    kind = registry.get(ticket.kind)
    form = registry.detail_form(kind, request.user, request.POST or None, instance=selectors.detail_of(ticket))
    returned = selectors.last_return(ticket)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(actor=request.user, ticket=ticket, detail_fields=form.cleaned_data)
            if request.POST.get("draft") is None:
                services.submit_ticket(actor=request.user, ticket=ticket)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申请已重新提交。") if request.POST.get("draft") is None else _("草稿已保存。"))
            return redirect("portal:ticket", pk=ticket.pk)
    return render(request, "portal/file.html", {"kind": kind, "form": form, "ticket": ticket, "returned": returned})


class TicketList(ObjectListView):
    """The portal's ticket lists: one template, the list's selector and what its mode shows beside the rows."""

    template_name = "portal/list.html"
    page_size = PAGE_SIZE
    filters = {"status": Text(), "kind": Text(), "search": Text("q")}
    title = ""
    mode = ""

    def on_page(self, page) -> None:
        # The rows are read as values() with the columns shown (no model instances for the ticket, requester,
        # unit, step and handler of each row) and written as markup in one pass (list_rows); the template only
        # places them: filters, methods and two {% url %} per row were most of the page's time (#17).
        self.page = page
        items = page.object_list  # a queryset's slice, or the rows already (the list's compiled statement)
        page.object_list = rows = items if isinstance(items, list) else selectors.list_rows(items)
        page.rows_html = self.row_writer(rows).html(rows)

    def row_writer(self, rows: list[dict]) -> TicketRows:
        """What writes the rows' markup (the inbox's has cells of its own)."""
        return TicketRows()

    # The list read by its compiled statement (portal.mine_page, portal.inbox_page), given the filters but the search.
    compiled = None

    def get_queryset(self):
        values = self.filter_values
        if self.compiled is None or values["search"]:  # a search, matched by language and message: the queryset
            return selectors.with_supervised(self.tickets(), self.request.user)
        filters = {name: value for name, value in values.items() if name != "search"}
        return self.compiled(self.request.user, size=self.page_size, page=self.request.GET.get("page", ""), **filters)

    def tickets(self):  # pragma: no cover - every list overrides it
        raise NotImplementedError

    def get_context_data(self, **kwargs) -> dict:
        return {
            "kind_options": options_html(
                ((k.code, k.label) for k in registry.all_kinds()), self.request.GET.get("kind")
            ),
            "status_options": options_html(Status.choices, self.request.GET.get("status")),
            "oversees": scoping.holds_any(self.request.user, selectors.OVERSEERS),
            "title": self.title,
            "mode": self.mode,
        }


class MyRequests(TicketList):
    title, mode = _("我的申请"), "mine"
    compiled = staticmethod(my_requests_page)

    def tickets(self):
        return selectors.my_tickets(self.request.user, **self.filter_values)


class AllRequests(TicketList):
    """Every request a bureau administrator or leader oversees (their subtree), read-only."""

    title, mode = _("全部申请"), "all"
    # The command center's links open this list narrowed to the figure's unit and period.
    filters = {
        **TicketList.filters,
        "unit": Id(),
        "since": Date(),
        "until": Date(),
        "closed_since": Date(),
        "closed_until": Date(),
        "overdue": Flag(),
        "open": Flag(),
    }

    def prepare(self) -> None:
        if not scoping.holds_any(self.request.user, selectors.OVERSEERS):
            raise PermissionDenied(_("只有机关事务管理局管理员和领导可以查看全部申请。"))
        super().prepare()

    def tickets(self):
        return selectors.overseen_tickets(self.request.user, **self.filter_values)


class Inbox(TicketList):
    title, mode = _("待我审批"), "inbox"
    filters = {"kind": Text(), "search": Text("q")}
    compiled = staticmethod(inbox_page)

    def tickets(self):
        # The parts are read for the countersign rows of the page shown only (row_writer), not for every row.
        return selectors.approval_inbox(self.request.user, with_parts=False, **self.filter_values)

    @cached_property
    def bulk(self) -> set[str]:
        return {k.code for k in registry.all_kinds() if k.bulk_approvable}

    def row_writer(self, rows: list[dict]) -> TicketRows:
        # The parts of the page's countersign steps (who signed, who has not), read for the rows shown only.
        steps = [r["current_step_id"] for r in rows if r["current_step_id"] and r["current_step__rule"] != SINGLE]
        parts = selectors.parts_by_step(steps, self.request.user) if steps else {}
        return InboxRows(self.request, bulk=self.bulk, parts=parts)

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "bulk": self.bulk,
            "bulk_selectable": any(t["kind"] in self.bulk for t in self.page),
        }


class Handling(TicketList):
    title, mode = _("待我处理"), "handling"
    filters = Inbox.filters

    def tickets(self):
        return selectors.handling_queue(self.request.user, **self.filter_values)

    def get_context_data(self, **kwargs) -> dict:
        # 协办 parts other units asked this user's unit to do, with the ticket they belong to.
        search = self.filter_values["search"]
        return {
            **super().get_context_data(**kwargs),
            "assist_rows": list(selectors.assist_queue(self.request.user, search=search, limit=PAGE_SIZE)),
        }


def _detail_rows(detail) -> list[tuple[str, object]]:
    """The domain detail as label/value pairs, so the ticket page needs no per-kind template."""
    rows = []
    for field in detail._meta.concrete_fields:
        if field.name in ("id", "ticket"):
            continue
        value = choice_shown(detail, field.name) if field.choices else getattr(detail, field.name)
        if field.get_internal_type() == "JSONField":
            # Structured data reads as its messages (review warnings); a raw snapshot is the domain page's.
            messages_ = [v["message"] for v in value or [] if isinstance(v, dict) and "message" in v]
            if not messages_ and value:
                continue
            value = joined(messages_)
        # Times in Asia/Shanghai, decimals with separators, 是/否 (datahub.formatting).
        rows.append((field.verbose_name, formatting.readable(value)))
    # Facts a kind derives from other sources at read time (e.g. the pool's items for a purchase).
    derived = getattr(detail, "derived_rows", None)
    return rows + list(derived()) if callable(derived) else rows


def _ticket_context(request, ticket) -> dict:
    """Everything the ticket page shows, including the actions this user may take now."""
    kind = registry.get(ticket.kind)
    user = request.user
    step = ticket.current_step
    steps = selectors.steps_of(ticket)
    is_assignee = selectors.assignee_among(user, step, steps)
    is_requester = ticket.requester_id == user.pk
    handling = ticket.status == Status.IN_PROGRESS and ticket.handler_id == user.pk
    my_parts = []
    if is_assignee and step.is_countersign:
        # A countersign: one form per part of this signer that is still open (usually one).
        my_parts = selectors.open_parts_of(user, step)
        is_assignee = bool(my_parts)
    with_assists, with_supervisions = selectors.has_assists_and_supervisions(ticket)
    assists = list(selectors.assists_of(ticket)) if with_assists else []
    for part in assists:
        part.may_answer = selectors.may_assist(user, part)
        part.may_withdraw = handling and part.state == "open"
    return {
        "countersign_parts": selectors.parts_of(step) if step is not None and step.is_countersign else [],
        "my_parts": my_parts,
        "assists": assists,
        "assist_form": AssistForm() if handling else None,
        "answer_form": AssistAnswerForm(),
        "supervisions": list(selectors.supervisions_of(ticket)) if with_supervisions else [],
        "supervision_form": SupervisionForm() if selectors.may_supervise(user, ticket) else None,
        "ticket": ticket,
        # Linked only for those who may open it (its requester and who oversees the unit): no link to a 404.
        "bundle_visible": bool(ticket.bundle_id) and selectors.bundle_for(user, ticket.bundle_id) is not None,
        "kind": kind,
        "detail_rows": _detail_rows(selectors.detail_of(ticket)),
        "steps": steps,
        "timeline": selectors.timeline_of(ticket),
        "decision_form": DecisionForm(initial={"step_id": step.pk}) if is_assignee else None,
        "hand_on_form": (
            HandOnForm(actor=user, requester_id=ticket.requester_id, initial={"step_id": step.pk})
            if is_assignee and not step.is_countersign
            else None
        ),
        "can_withdraw": is_requester and allowed(Action.WITHDRAW, ticket.status),
        "can_edit": is_requester and ticket.status in (Status.DRAFT, Status.RETURNED),
        "can_start": ticket.status == Status.APPROVED and selectors.may_handle(user, ticket),
        "outcome_form": kind.outcome_form() if handling else None,
        "rating_form": RatingForm()
        if is_requester and ticket.status == Status.DONE and ticket.rating is None
        else None,
        "comment_form": CommentForm(),
    }


class TicketPage(TicketMixin, ObjectDetailView):
    template_name = "portal/ticket.html"
    context_object_name = "ticket"

    def get_context_data(self, **kwargs) -> dict:
        # Opening the ticket is reading what was said about it (nothing to write when nothing is unread: the top
        # bar's count, asked first, is kept for the request).
        if selectors.unread_count(self.request.user):
            services.mark_read(user=self.request.user, ticket=self.object)
            selectors.forget_unread(self.request.user)
        return _ticket_context(self.request, self.object)


@login_required
def attachment(request, pk, entry_id):
    """Attachments are served only to people who may see the ticket."""
    ticket = _ticket_or_404(request, pk)
    entry = selectors.attachment_of(ticket, entry_id)
    if entry is None:
        raise Http404(_("附件不存在。"))
    return FileResponse(entry.attachment.open("rb"), as_attachment=True, filename=entry.attachment_name or None)


def _act(request, pk, fn):
    ticket = _ticket_or_404(request, pk)
    try:
        fn(ticket)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return None
    return ticket


@login_required
@require_POST
def decide(request, pk):
    _ticket_or_404(request, pk)  # another unit's ticket is a 404, not a redirect, whatever the form says
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批结果。"))
        return redirect("portal:ticket", pk=pk)
    data = form.cleaned_data
    ticket = _act(
        request,
        pk,
        lambda t: services.decide(
            actor=request.user,
            ticket=t,
            step_id=data["step_id"],
            decision=data["decision"],
            comment=data["comment"],
            part_id=data.get("part_id"),
        ),
    )
    if ticket is not None:
        messages.success(
            request,
            _("已%(value)s：#%(pk)s")
            % {"value": dict(form.fields["decision"].choices)[data["decision"]], "pk": ticket.pk},
        )
    return redirect(_safe_next(request) or "portal:inbox")


@login_required
@require_POST
def bulk_approve(request):
    """Approve many simple requests at once; each one succeeds or is reported on its own."""
    bulk_kinds = {k.code for k in registry.all_kinds() if k.bulk_approvable}
    done, refused = 0, []
    ids = [i for i in request.POST.getlist("ticket") if i.isdigit()]  # a tampered id is simply not in the inbox
    for ticket in selectors.inbox_tickets(request.user, ids):
        if ticket.kind not in bulk_kinds:
            refused.append(_("#%(pk)s：该类申请需逐件审批") % {"pk": ticket.pk})
            continue
        try:
            services.decide(
                actor=request.user,
                ticket=ticket,
                step_id=ticket.current_step_id,
                decision="approved",
                comment=Keyed(gettext_noop("批量同意")),
            )
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            refused.append(f"#{ticket.pk}：{joined(getattr(exc, 'messages', [str(exc)]))}")
    if done:
        messages.success(request, _("已批量同意 %(done)s 件。") % {"done": done})
    for line in refused:
        messages.error(request, line)
    if not done and not refused:
        messages.error(request, _("请先勾选要同意的申请。"))
    return redirect("portal:inbox")


class TicketAction(TicketMixin, ObjectActionView):
    """A button on the ticket's page: the service decides, its refusal comes back as a message."""

    def get_success_url(self, obj) -> str:
        return reverse("portal:ticket", kwargs={"pk": obj.pk})


class HandOn(TicketAction):
    form_class = HandOnForm
    invalid_message = _("请选择转交对象。")

    def get_form(self):
        return HandOnForm(self.request.POST, actor=self.request.user, requester_id=self.object.requester_id)

    def perform(self, obj, data):
        services.hand_on(
            actor=self.request.user,
            ticket=obj,
            step_id=data["step_id"],
            to_user=data["to_user"],
            comment=data["comment"],
        )
        self.to_user = data["to_user"]

    def get_success_message(self, obj) -> str:
        return _("已转交给%(name)s。") % {"name": self.to_user.name}


class Withdraw(TicketAction):
    success_message = _("申请已撤回。")

    def perform(self, obj, data):
        services.withdraw(actor=self.request.user, ticket=obj, comment=self.request.POST.get("comment", ""))


class Submit(TicketAction):
    success_message = _("申请已提交。")

    def perform(self, obj, data):
        services.submit_ticket(actor=self.request.user, ticket=obj)


class Start(TicketAction):
    success_message = _("已开始办理。办结时请在本页登记办理结果。")

    def perform(self, obj, data):
        services.start_handling(actor=self.request.user, ticket=obj)


@login_required
@require_POST
def complete(request, pk):
    ticket = _ticket_or_404(request, pk)
    kind = registry.get(ticket.kind)
    form = kind.outcome_form(request.POST)
    if form.is_valid():
        try:
            services.complete(
                actor=request.user, ticket=ticket, outcome=form.cleaned_data, comment=request.POST.get("comment", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            else:
                _refused(request, exc)
                return redirect("portal:ticket", pk=pk)
        else:
            messages.success(request, _("已办结，办理结果已记入台账。"))
            return redirect("portal:ticket", pk=pk)
    # Show the page again with the outcome form's errors; nothing was written.
    context = _ticket_context(request, ticket)
    context["outcome_form"] = form
    return render(request, "portal/ticket.html", context, status=400)


class Rate(TicketAction):
    form_class = RatingForm
    invalid_message = _("请选择1到5分的评分。")
    success_message = _("感谢您的评价。")

    def perform(self, obj, data):
        services.rate(actor=self.request.user, ticket=obj, rating=data["rating"], comment=data["comment"])


class Comment(TicketAction):
    form_class = CommentForm
    success_message = _("已添加到办理记录。")

    def get_form(self):
        return CommentForm(self.request.POST, self.request.FILES)

    def form_invalid(self, form) -> None:
        for errors in form.errors.values():
            messages.error(self.request, joined(errors))

    def perform(self, obj, data):
        services.add_comment(
            actor=self.request.user, ticket=obj, comment=data["comment"], attachment=data["attachment"]
        )


class Notifications(ObjectListView):
    """The user's notifications; a POST marks them all read."""

    template_name = "portal/notifications.html"
    page_size = PAGE_SIZE

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        return {"query": ""}

    def post(self, request, *args, **kwargs):
        services.mark_read(user=request.user)
        messages.success(request, _("已全部标为已读。"))
        return redirect("portal:notifications")


@login_required
def open_notification(request, pk):
    note = selectors.notification_for(request.user, pk)
    if note is None:
        raise Http404(_("通知不存在。"))
    services.mark_read(user=request.user, ids=[note.pk])
    return redirect("portal:ticket", pk=note.ticket_id) if note.ticket_id else redirect("portal:notifications")
