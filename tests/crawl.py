"""The walk of tests/test_site_crawl.py: every demo role signs in and follows the links its pages show,
from the home page, breadth first and bounded; each page is checked as it is read.

Bounded so that it stays under two minutes per database on two cores: at most ``PER_ROLE`` pages a
role, and at most ``PER_SHAPE`` pages of one shape (a path with its ids replaced, and the names of its
query parameters), so the walk covers many pages of different kinds instead of every ticket."""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

PER_ROLE = 50
PER_SHAPE = 2
HOST = "testserver"

# Links the walk does not follow: signing out, downloads that start export jobs, the API's JSON and the
# admin's forms (the leak crawler and tests/datahub/test_admin_crawl.py cover those).
SKIP = re.compile(r"^/(accounts/logout|api/|admin/.+/(delete|history)/|static/|media/)|[?&](export|format)=")

# English a zh-hans page must not show (issue #19): words seen untranslated, and what Django prints
# for a value nobody formatted. Matched as whole words in the text a user reads.
UNTRANSLATED = [
    "reviewed by",
    "office",
    "service",
    "equipment",
    "submit",
    "return",
    "approve",
    "reject",
    "too short",
    "This field is required",
    "Forbidden",
    "Not Found",
    "None",
    "True",
    "False",
    "pending",
    "approved",
    "rejected",
    "returned",
    "draft",
    "withdrawn",
    "Save",
    "Delete",
    "Search",
    "Previous",
    "Next",
]
_ENGLISH = re.compile(r"(?<![A-Za-z_./-])(" + "|".join(re.escape(w) for w in UNTRANSLATED) + r")(?![A-Za-z_-])")

# Columns (or dl.props terms) of money or area: more than two decimals there is a formatting bug.
# An intensity (kgce/m², 元/m²) is neither: it has its own sensible decimals.
MONEY_OR_AREA = re.compile(r"^(?!.*/(m²|㎡)).*(元|金额|价|原值|净值|费用|面积|m²|㎡|平方米)")
LONG_DECIMAL = re.compile(r"\d\.\d{3,}")
# Columns naming a unit (使用单位, 所属单位, 机构, 部门, 数据提供单位 …), and pickers of one (a select whose name
# says unit or provider). Not "单位建筑面积能耗": there 单位 means "per".
UNIT_COLUMN = re.compile(r"^[^（(]*(单位|部门|机构|提供方)$")
UNIT_PICKER = re.compile(r"unit|provider|department")
# Pages whose unit table lists the direct children of the one unit the page is about (its heading names
# the parent): the command center's unit page drills from 财政厅 down to its 办公室.
CHILDREN_OF_ONE_UNIT = re.compile(r"^/command/units/\d+/")
_RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "link": "href"}


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/)", "/N", parts.path)
    return path + "?" + ",".join(sorted({k for k, _ in parse_qsl(parts.query)}))


class Page(HTMLParser):
    """What a page shows: its links, what it loads, its text and its tables (rows of cells)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.resources, self.text, self.tables = [], [], [], []
        self._skip = 0
        self._cell = None
        self._dt = None
        self.props = []  # (term, value) of dl.props
        self._select = None
        self._option = None
        self.unit_options = []  # the texts of the options of a unit picker

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in _RESOURCE_ATTRS and a.get(_RESOURCE_ATTRS[tag]):
            self.resources.append(a[_RESOURCE_ATTRS[tag]])
        if tag == "form" and a.get("action"):
            self.resources.append(a["action"])
        if tag == "select":
            self._select = a.get("name") or ""
        elif tag == "option" and self._select is not None and UNIT_PICKER.search(self._select):
            self._option = [""]
            self.unit_options.append(self._option)
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]["rows"]:
            self._cell = [tag]
        elif tag == "dt":
            self._dt = [""]
        elif tag == "dd" and self._dt is not None:
            self.props.append([self._dt[0], ""])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "textarea") and self._skip:
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]["rows"]:
            self.tables[-1]["rows"][-1].append((self._cell[0], "".join(self._cell[1:]).strip()))
            self._cell = None
        if tag == "dd":
            self._dt = None
        if tag == "option":
            self._option = None
        if tag == "select":
            self._select = self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[0] += data
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._dt is not None:
            if self.props and self.props[-1][0] == self._dt[0] and self._dt[0]:
                self.props[-1][1] += data
            else:
                self._dt[0] += data.strip()


@dataclass
class Findings:
    pages: int = 0
    server_errors: list = field(default_factory=list)
    dead_links: list = field(default_factory=list)
    english: list = field(default_factory=list)
    long_decimals: list = field(default_factory=list)
    other_hosts: list = field(default_factory=list)
    bare_units: list = field(default_factory=list)
    # Names several units share (five departments called 办公室): shown bare, they cannot be told apart.
    shared_names: frozenset = frozenset()


def _head(table) -> list | None:
    return next((r for r in table["rows"] if r and all(t == "th" for t, _ in r)), None)


def _bare_units(page: Page, shared_names) -> list[str]:
    """Unit cells and picker options that show only a name several units share (``办公室`` where
    ``财政厅 › 办公室`` tells it apart)."""
    out = []
    for table in page.tables:
        head = _head(table)
        if not head:
            continue
        columns = [i for i, (_, text) in enumerate(head) if UNIT_COLUMN.search(text)]
        for row in table["rows"]:
            if row is head or len(row) != len(head):
                continue
            out += [f"{head[i][1]}: {row[i][1]}" for i in columns if row[i][1] in shared_names]
    out += [f"picker: {text.strip()}" for (text,) in page.unit_options if text.strip() in shared_names]
    return out


def _long_decimals(page: Page) -> list[str]:
    out = []
    for table in page.tables:
        rows = table["rows"]
        head = _head(table)
        if not head:
            continue
        columns = [i for i, (_, text) in enumerate(head) if MONEY_OR_AREA.search(text)]
        for row in rows:
            if row is head or len(row) != len(head):
                continue
            out += [f"{head[i][1]}: {row[i][1]}" for i in columns if LONG_DECIMAL.search(row[i][1])]
    out += [
        f"{term}: {value.strip()}"
        for term, value in page.props
        if MONEY_OR_AREA.search(term) and LONG_DECIMAL.search(value)
    ]
    return out


def walk(client, role: str, findings: Findings, *, on_page=None, per_role: int = PER_ROLE) -> None:
    """Follow the links ``role`` is shown from its home page, checking each page as it is read.

    With ``on_page`` (the English walk of tests/test_site_english.py) each HTML page goes to it as
    ``on_page(where, html)`` instead of the zh-hans checks for untranslated English."""
    queue = deque([("/", "(start)")])
    seen, shapes = set(), {}
    visited = 0
    while queue and visited < per_role:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        visited += 1
        where = f"{role} {url} (linked from {referrer})"
        if response.status_code >= 500:
            findings.server_errors.append(f"{where}: {response.status_code}")
        if response.status_code in (403, 404) and referrer != "(start)":
            findings.dead_links.append(f"{where}: {response.status_code}")
        if response.status_code in (301, 302, 303):
            location = urljoin(url, response["Location"])
            if urlsplit(location).hostname not in (None, HOST):
                findings.other_hosts.append(f"{where}: redirects to {location}")
            elif not SKIP.search(urlsplit(location).path):
                queue.appendleft((urlsplit(location)._replace(scheme="", netloc="").geturl(), url))
            continue
        if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
            continue  # a download (not closed here: closing fires request_finished, which drops the connection)
        page = Page()
        page.feed(response.content.decode())
        text = " ".join(" ".join(page.text).split())
        if on_page is not None:
            on_page(where, response.content.decode())
        elif not url.startswith("/admin/"):
            for match in sorted({m.group(1) for m in _ENGLISH.finditer(text)}):
                start = text.find(match)
                findings.english.append(f"{where}: “{match}” in …{text[max(0, start - 20) : start + 30]}…")
        findings.long_decimals += [f"{where}: {x}" for x in _long_decimals(page)]
        if not CHILDREN_OF_ONE_UNIT.search(url):
            findings.bare_units += [f"{where}: {x}" for x in sorted(set(_bare_units(page, findings.shared_names)))]
        for resource in page.resources:
            host = urlsplit(urljoin(f"http://{HOST}{url}", resource)).hostname
            if host not in (None, HOST):
                findings.other_hosts.append(f"{where}: loads {resource}")
        for link in page.links:
            target = urljoin(url, urldefrag(link)[0])
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel", "javascript") or (parts.hostname not in (None, HOST)):
                continue
            local = parts._replace(scheme="", netloc="").geturl()
            if not local or SKIP.search(local) or local in seen:
                continue
            key = shape(local)
            if shapes.get(key, 0) >= PER_SHAPE:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            queue.append((local, url))
    findings.pages += visited
