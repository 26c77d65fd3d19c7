"""The rows of the ticket lists (我的申请, 待我审批, 待我处理, 全部申请) written as markup in one pass over the rows the
list's statement read (``selectors.ROW_COLUMNS`` as values()), #17.

The rows were first formatted into dicts of cells, then the markup cells added, then every cell of every row put
through the escaping check and ``str.format`` (datahub.paging.RowMarkup): ~13 escapes and three passes per row,
most of the list's own CPU left after the template loop went. Here each ``<tr>`` is one f-string: only the cells
that carry people's text (the title, the requester, the unit, a step's name) are escaped; the rest are numbers,
times formatted from digits, or fragments escaped once per page (the row link around the id) or per language (the
status tags, the 督办 tag). The inbox's own cells (its checkbox, countersign parts and decision form) are built by
``InboxRows`` with the texts translated once per request.
"""

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from datahub import formatting, keyed
from datahub.labels import shown
from datahub.memo import Bounded
from datahub.paging import escaped, row_url_parts

from .workflow import Status

EMPTY = "—"
# Per language: each status's tag and the 督办 tag, escaped (the labels are the code's constants).
_CHROME = Bounded(64)


def _chrome() -> tuple[dict[str, str], str]:
    language = get_language()
    chrome = _CHROME.get(language)
    if chrome is None:
        tags = {
            value: f'<span class="tag status-{escaped(value)}">{escaped(shown(label))}</span>'
            for value, label in Status.choices
        }
        supervised = f' <span class="tag supervised">{escaped(gettext("督办"))}</span>'
        chrome = _CHROME.keep(language, (tags, supervised))
    return chrome


class TicketRows:
    """The rows of one page of a ticket list; ``html(rows)`` is their markup (safe: every text is escaped here)."""

    def __init__(self):
        self.status_tags, self.supervised = _chrome()
        # The row link for any id: escaped once around the number (an id has nothing to escape).
        head, tail = row_url_parts("portal:ticket")
        self.link_head, self.link_tail = escaped(head), escaped(tail)
        self.now, self.here = timezone.now(), timezone.get_current_timezone()  # the reader's zone, once a page
        self.steps: dict[str, str] = {}  # a page's rows share a few step names: each translated and escaped once

    def html(self, rows: list[dict]) -> SafeString:
        title, unit_name, localtime = keyed.render, formatting.unit_name, timezone.localtime
        status_tags, supervised, now, here = self.status_tags, self.supervised, self.now, self.here
        head, tail = self.link_head, self.link_tail
        out = []
        for r in rows:
            pk, status, due_at = r["pk"], r["status"], r["due_at"]
            url = f"{head}{pk}{tail}"
            tag = status_tags.get(status)
            if tag is None:  # a status the code no longer lists: shown as stored
                tag = f'<span class="tag status-{escaped(status)}">{escaped(status)}</span>'
            if due_at:
                # date_format's "m-d H:i" (digits only: nothing to escape), red when overdue.
                shown_due = localtime(due_at, here).strftime("%m-%d %H:%M")
                late = r["closed_at"] is None and due_at < now
                due = f'<span class="overdue">{shown_due}</span>' if late else f"<span>{shown_due}</span>"
            else:
                due = EMPTY
            unit = unit_name(r["org_unit__name"], r["org_unit__level"], r.get("unit_parent_name"))
            out.append(
                f"<tr>{self.select(r)}<td>#{pk}</td>"
                f'<td><a href="{url}">{escaped(title(r["title_key"], r["title_values"], r["title"]))}</a>'
                f"{supervised if r['supervised'] else ''}</td>"
                f'<td>{escaped(r["requester__name"])}<br><small class="muted">{escaped(unit)}</small></td>'
                f"<td>{tag}</td><td>{self.step_cell(r)}</td><td>{due}</td>{self.decide(r, url)}</tr>\n"
            )
        return mark_safe("".join(out))

    def step(self, r: dict) -> str:
        """The current step's name in the reader's language, escaped; "" when the request is at no step."""
        if not r["current_step_id"]:
            return ""
        name = r["current_step__name"]
        shown_name = self.steps.get(name)
        if shown_name is None:
            shown_name = self.steps[name] = escaped(gettext(name))
        return shown_name

    def step_cell(self, r: dict) -> str:
        return self.step(r) or EMPTY

    # The inbox's own cells; the other lists have none.
    def select(self, r: dict) -> str:
        return ""

    def decide(self, r: dict, url: str) -> str:
        return ""


class InboxRows(TicketRows):
    """待我审批: a checkbox for the bulk approval (kinds in ``bulk``), a countersign step's parts (``parts``: by
    step id, the steps on the page that are countersigns), and a decision form or the link to countersign. What
    does not change from row to row (the CSRF token, the page to come back to, the buttons' texts) is escaped
    once."""

    def __init__(self, request, *, bulk: set[str], parts: dict[int, list]):
        super().__init__()
        self.bulk, self.parts = bulk, parts
        head, tail = row_url_parts("portal:decide")
        self.decide_head, self.decide_tail = escaped(head), escaped(tail)
        self.empty_cell = "<td></td>"
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

    def select(self, r: dict) -> str:
        if not self.bulk:
            return ""
        return self._select.format(pk=r["pk"]) if r["kind"] in self.bulk else self.empty_cell

    def decide(self, r: dict, url: str) -> str:
        if r["current_step_id"] in self.parts:
            return self._countersign.format(url=url)
        decide_url = f"{self.decide_head}{r['pk']}{self.decide_tail}"
        return self._decide.format(decide_url=decide_url, step_id=escaped(r["current_step_id"]))

    def step_cell(self, r: dict) -> str:
        step = self.step(r)
        if not step:
            return EMPTY
        parts = self.parts.get(r["current_step_id"])
        return step if parts is None else self._with_parts(mark_safe(step), parts)

    def _with_parts(self, step: SafeString, parts) -> str:
        """The step and, for a countersign, each part: who signed and how, or that it waits for this user."""
        return format_html(
            '{}<ul class="countersign">{}</ul>',
            step,
            format_html_join("", "<li>{}{}{}</li>", ((gettext(p.name), self._colon, self._part(p)) for p in parts)),
        )

    def _part(self, part):
        if part.decided_by_id:
            return f"{part.decided_by.name} {part.get_decision_display()}"
        return format_html("<b>{}</b>", self._yours) if part.mine else part.get_decision_display()
