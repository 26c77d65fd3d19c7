"""The smoke test's HTTP half (standard library only): drives a running installation over loopback.

    python scripts/smoke_http.py http://127.0.0.1:8765

Checks /health/, signs in as a demo user through the login form (CSRF cookie and token), files a repair
request through the portal, runs one export large enough to go to the Celery worker, waits for it to
finish and downloads the workbook. Prints one line per step; exits 1 at the first failure.
"""

import http.cookiejar
import io
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from html.parser import HTMLParser

PASSWORD = "Demo-2026-yiwang"
EXPORT_TIMEOUT = 90  # seconds for the background export to finish


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path: str, data: dict | None = None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"Referer": self.base + "/"})
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (no redirect handler), 4xx and 5xx
            response = error
        return response.status, dict(response.headers), response.read()

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class FormReader(HTMLParser):
    """The first form whose action attribute is ``action`` ("" for a form posting to its own page):
    its fields with their default values."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.fields, self.inside, self.select, self.found = action, {}, False, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found and (a.get("action") or "") == self.action:
            self.inside = self.found = True
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox", "radio", "file"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.fields[a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and a.get("value") and not self.fields.get(self.select):
            self.fields[self.select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: bytes, action: str) -> dict:
    reader = FormReader(action)
    reader.feed(html.decode())
    if not reader.found:
        raise AssertionError(f"no form posting to {action}")
    return reader.fields


def step(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
    if not ok:
        sys.exit(1)


def sign_in(base: str, username: str) -> Client:
    client = Client(base)
    status, _, page = client.request("/accounts/login/")
    step("login page", status == 200, str(status))
    fields = form_fields(page, "")
    fields.update(username=username, password=PASSWORD)
    status, headers, _ = client.request("/accounts/login/", fields)
    step(f"sign in as {username} (CSRF token from the form)", status == 302, f"{status} → {headers.get('Location')}")
    status, _, home = client.request("/")
    step("home page after sign-in", status == 200 and b"/accounts/logout/" in home, str(status))
    return client


def main(base: str) -> None:
    anonymous = Client(base)
    status, _, body = anonymous.request("/health/")
    health = json.loads(body)
    step("/health/ (database, cache, broker, live worker)", status == 200 and health["status"] == "ok", str(health))

    clerk = sign_in(base, "zhangwei")
    status, _, page = clerk.request("/portal/new/repair/")
    step("repair form", status == 200, str(status))
    fields = form_fields(page, "")
    fields.update(
        location="1号楼 冒烟测试室",
        description="冒烟测试：窗户关不上。",
        estimated_cost="300",
        contact_phone="13800000000",
        csrfmiddlewaretoken=clerk.csrf(),
    )
    fields.pop("draft", None)
    status, headers, body = clerk.request("/portal/new/repair/", fields)
    location = headers.get("Location", "")
    step("file a repair request through the portal", status == 302 and "/portal/tickets/" in location, location)
    status, _, ticket = clerk.request(location)
    step("the ticket page shows it submitted", status == 200 and "冒烟测试".encode() in ticket, str(status))

    admin = sign_in(base, "wangqiang")
    status, headers, _ = admin.request("/directory/people/?export=xlsx")
    job_url = headers.get("Location", "")
    step("a large export becomes a background job", status == 302 and "/exports/" in job_url, f"{status} {job_url}")
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while True:
        status, _, page = admin.request(job_url)
        if b"/download/" in page or time.monotonic() > deadline or b'class="errors"' in page:
            break
        time.sleep(1)
    progress = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode()))[-300:]
    step("the worker finished the export", b"/download/" in page, progress)
    status, headers, workbook = admin.request(job_url.rstrip("/") + "/download/")
    with zipfile.ZipFile(io.BytesIO(workbook)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    rows = sheet.count(b"<row ")
    step("download the workbook", status == 200 and rows > 1, f"{len(workbook)} bytes, {rows} rows")
    print("smoke test passed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765")
