"""The markup of the ticket lists' rows (我的申请, 待我审批, 待我处理, 全部申请), filled by ``str.format`` from
the rows the view formatted (datahub.paging.RowMarkup: a template loop over the rows was most of the list's own
CPU, #17). The cells that are markup themselves (tags, the inbox's checkbox, countersign parts and decision
form) are built here with ``format_html``, their texts translated once per page."""

from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from datahub.paging import RowMarkup, escaped

TICKET_ROW = RowMarkup(
    "<tr>{select}<td>#{pk}</td>"
    '<td><a href="{url}">{title}</a>{supervised_tag}</td>'
    '<td>{requester}<br><small class="muted">{unit}</small></td>'
    '<td><span class="tag status-{status}">{status_display}</span></td>'
    "<td>{step_cell}</td><td>{due_cell}</td>{decide}</tr>\n"
)


def common_cells(rows: list[dict], step_cell) -> list[dict]:
    """The markup cells of every ticket list: the 督办 tag, the step (``step_cell``), the time limit (red when
    overdue); the inbox's own cells empty."""
    supervised = format_html(' <span class="tag supervised">{}</span>', gettext("督办"))
    overdue = mark_safe(' class="overdue"')
    for row in rows:
        row["supervised_tag"] = supervised if row["supervised"] else ""
        row["step_cell"] = step_cell(row) if row["step"] else "—"
        row["due_cell"] = (
            mark_safe(f"<span{overdue if row['overdue'] else ''}>{escaped(row['due'])}</span>") if row["due"] else "—"
        )
        row["select"] = row["decide"] = ""
    return rows


class InboxCells:
    """The inbox's own cells for one request: what does not change from row to row (the CSRF token, the page
    to come back to, the buttons' texts) is escaped once."""

    def __init__(self, request):
        self.empty_cell = mark_safe("<td></td>")
        self._select = format_html(
            '<td><input type="checkbox" name="ticket" value="{{pk}}" form="bulk" aria-label="{}"></td>',
            gettext("选择"),
        )
        self._countersign = format_html(
            '<td><a class="button" href="{{url}}#countersign">{}</a></td>', gettext("去会签")
        )
        self._decide = format_html(
            '<td><form class="inline-decide" method="post" action="{{decide_url}}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="step_id" value="{{step_id}}"><input type="hidden" name="next" value="{}">'
            # The spaces between the field and the buttons are the gaps the browser shows between them.
            ' <input name="comment" placeholder="{}" aria-label="{}">'
            ' <button class="primary" name="decision" value="approved">{}</button>'
            ' <button name="decision" value="returned">{}</button>'
            ' <button class="danger" name="decision" value="rejected">{}</button></form></td>',
            get_token(request),
            request.get_full_path(),
            gettext("意见"),
            gettext("意见"),
            gettext("同意"),
            gettext("退回"),
            gettext("不同意"),
        )
        self._colon, self._yours = gettext("："), gettext("待您会签")

    # format_html's own work (escape each value, then format) without its checks, once per row.
    def select(self, row: dict):
        return mark_safe(self._select.format(pk=escaped(row["pk"])))

    def countersign_link(self, row: dict):
        return mark_safe(self._countersign.format(url=escaped(row["url"])))

    def decide_form(self, row: dict):
        return mark_safe(self._decide.format(decide_url=escaped(row["decide_url"]), step_id=escaped(row["step_id"])))

    def step_with_parts(self, row: dict):
        """The step and, for a countersign, each part: who signed and how, or that it waits for this user."""
        return format_html(
            '{}<ul class="countersign">{}</ul>',
            row["step"],
            format_html_join(
                "", "<li>{}{}{}</li>", ((gettext(p.name), self._colon, self._part(p)) for p in row["parts"])
            ),
        )

    def _part(self, part):
        if part.decided_by_id:
            return f"{part.decided_by.name} {part.get_decision_display()}"
        return format_html("<b>{}</b>", self._yours) if part.mine else part.get_decision_display()


def inbox_cells(request) -> InboxCells:
    """The request's InboxCells, built at its first row."""
    if not hasattr(request, "_inbox_cells"):
        request._inbox_cells = InboxCells(request)
    return request._inbox_cells
