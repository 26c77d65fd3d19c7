"""The English UI stays complete (issue #19): demo people who chose English in the header's language menu
walk their pages from the home page (bounded, with tests/crawl.py) and the page chrome reads in English.

The chrome is what the platform itself writes on every page: the navigation and section tabs, headings,
table headers, form labels and legends, buttons, and the placeholders and accessible names of controls.
The rest of a page is mostly data, and the data is Chinese whatever the reader's language: unit names
(财政厅 › 办公室), people, seeded ledgers, regulation text stored as rows. So Chinese characters are
looked for in the chrome only, and even there a heading or a header cell may carry a name taken from the
data (a building's name in its page title, a unit as a row header): those are recognised by being a
value of the data (``_data_names``: units, people, request titles and what was typed into them, buildings,
assets, plates), and nothing else is excused."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from datahub.models import User
from tests import crawl, demo
from tests.sharing import shared_fixture

pytestmark = pytest.mark.django_db

# One person of each kind of work: a civil servant, an approver, domain administrators, a leader.
ENGLISH_ROLES = ["zhangwei", "lina", "wangqiang", "chenming", "zhaolei", "sunli", "sysadmin"]
PER_ROLE = 30

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
CHROME_TAGS = {"nav", "h1", "h2", "h3", "th", "label", "legend", "button", "caption", "summary"}
CHROME_ATTRS = {"placeholder", "aria-label"}
# Text inside these is data even within the chrome: a choice list of units, a person's name in the bar.
DATA_TAGS = {"option", "select", "script", "style", "textarea", "code", "pre"}


class Chrome(HTMLParser):
    """The chrome's text of a page (see the module's docstring), one string per element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.data_depth, self.texts = [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in DATA_TAGS:
            self.data_depth += 1
        for name in CHROME_ATTRS:
            if a.get(name) and not self.data_depth:
                self.texts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])
        if tag in CHROME_TAGS:
            self.open.append([tag, ""])

    def handle_endtag(self, tag):
        if tag in DATA_TAGS and self.data_depth:
            self.data_depth -= 1
        if tag in CHROME_TAGS and self.open and self.open[-1][0] == tag:
            self.texts.append(self.open.pop()[1])

    def handle_data(self, data):
        if self.open and not self.data_depth:
            for element in self.open:
                element[1] += data


def chinese_in_chrome(html: str) -> list[str]:
    parser = Chrome()
    parser.feed(html)
    found = []
    for text in parser.texts:
        text = " ".join(text.split())
        for match in CJK.finditer(text):
            found.append(f"“{match.group()}” in “{text[:80]}”")
    return found


def build_english_walk():
    """The demo data, then the English walk of each role."""
    from django.test import Client

    demo.seed()
    findings = crawl.Findings()
    findings.chinese = []
    data_names = _data_names()

    def on_page(where, html):
        for item in chinese_in_chrome(html):
            if not any(name in item for name in data_names):
                findings.chinese.append(f"{where}: {item}")

    for username in ENGLISH_ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        crawl.walk(client, username, findings, on_page=on_page, per_role=PER_ROLE)
    return findings


def _data_names() -> set[str]:
    """Names that come from the data and may stand in a heading or a header cell (see the docstring)."""
    from assets.models import Asset
    from datahub.models import OrgUnit
    from officespace.models import Building
    from portal.models import Ticket
    from vehicles.models import Vehicle

    names = {u.name for u in OrgUnit.objects.all()}
    names |= {u.get_full_name() for u in User.objects.all()}
    names |= set(Ticket.objects.values_list("title", flat=True))  # a request's title, written from its form
    # A generated title reads in English around what was typed into the form (a place, a topic): that is data.
    for values in Ticket.objects.exclude(title_key="").values_list("title_values", flat=True):
        names |= {str(v) for v in values.values() if isinstance(v, str)}
    names |= set(Building.objects.values_list("name", flat=True))
    names |= set(Asset.objects.values_list("name", flat=True))
    names |= set(Vehicle.objects.values_list("plate", flat=True))  # 浙A… heads a vehicle's page
    return {n for n in names if n}


shared_english_walk, english_walk = shared_fixture("english_walk", build_english_walk)


def _report(items):
    return "\n".join(items[:60]) + (f"\n… and {len(items) - 60} more" if len(items) > 60 else "")


def test_the_english_walk_reads_pages_of_every_role(english_walk):
    assert english_walk.pages >= len(ENGLISH_ROLES) * 10


def test_no_english_page_is_a_server_error(english_walk):
    assert english_walk.server_errors == [], _report(english_walk.server_errors)


def test_the_chrome_of_every_english_page_reads_in_english(english_walk):
    assert english_walk.chinese == [], _report(english_walk.chinese)


def test_the_chrome_check_sees_chinese_chrome_and_excuses_data():
    html = (
        "<nav><a>Overview</a><a>台账</a></nav><table><thead><tr><th>Name</th></tr></thead>"
        "<tbody><tr><td>财政厅</td></tr></tbody></table><label>Unit <select><option>财政厅</option></select></label>"
        '<input placeholder="搜索"><button>Save</button>'
    )
    assert chinese_in_chrome(html) == ["“台账” in “Overview台账”", "“搜索” in “搜索”"]
