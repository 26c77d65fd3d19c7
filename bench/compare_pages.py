"""Responses of a set of pages for several people, in Chinese and English, written to a JSON file: run it in two
trees (old and new) against the same database and compare the files (``--diff A B``). Each page is asked twice in
one process, so a kept variant (drawn once, filled per request) is what is compared. CSRF tokens and the unit
search's signed scope (it carries the time it was signed) are masked.

    DATABASE_URL=postgres://…/yw_x_bench .venv/bin/python bench/compare_pages.py --users zhangwei,lina --out new.json
    .venv/bin/python bench/compare_pages.py --diff old.json new.json

``--users``: usernames, or ``#first-requester`` for the first active person with a unit (bench_pages' requester).
``--urls``: a file with one path per line (the default: 我的申请 and the ticket API with filters and pages).
"""

import argparse
import json
import os
import re
import sys
import warnings
from pathlib import Path

# The tree the command runs in (the old tree may run this file from the new one).
sys.path.insert(0, str(Path.cwd()))

URLS = [
    "/portal/mine/",
    "/portal/mine/?page=2",
    "/portal/mine/?page=3",
    "/portal/mine/?page=20",
    "/portal/mine/?page=21",
    "/portal/mine/?page=999",
    "/portal/mine/?page=99999999999999999999999",
    "/portal/mine/?page=0",
    "/portal/mine/?page=-1",
    "/portal/mine/?page=abc",
    "/portal/mine/?page=2.0",
    "/portal/mine/?page=",
    "/portal/mine/?status=in_review",
    "/portal/mine/?status=done&page=2",
    "/portal/mine/?status=draft",
    "/portal/mine/?status=nonsense",
    "/portal/mine/?kind=repair",
    "/portal/mine/?kind=repair&status=approved",
    "/portal/mine/?kind=vehicle_trip&page=2",
    "/portal/mine/?kind=nosuchkind",
    "/portal/mine/?q=cmp",
    "/portal/mine/?q=%E4%BC%9A%E8%AE%AE",
    "/portal/mine/?q=bench&page=2",
    "/portal/mine/?q=%231",
    "/portal/mine/?q=repair",
    "/portal/mine/?q=&status=&kind=",
    "/portal/mine/?status=in_review&q=cmp",
    "/portal/mine/?unknown=1",
    "/api/v1/portal/tickets/?box=mine",
    "/api/v1/portal/tickets/?box=mine&page=2",
    "/api/v1/portal/tickets/?box=mine&page=99",
    "/api/v1/portal/tickets/?box=mine&page_size=5&page=3",
    "/api/v1/portal/tickets/?box=mine&page=last",
    "/api/v1/portal/tickets/?box=mine&page=12",
    "/api/v1/portal/tickets/?box=mine&page=13",
    "/api/v1/portal/tickets/?box=mine&page=0",
    "/api/v1/portal/tickets/?box=mine&page=-1",
    "/api/v1/portal/tickets/?box=mine&page=2.0",
    "/api/v1/portal/tickets/?box=mine&page=99999999999999999999999",
    "/api/v1/portal/tickets/?box=mine&page_size=0",
    "/api/v1/portal/tickets/?box=mine&page_size=abc",
    "/api/v1/portal/tickets/?box=mine&page_size=1000",
    "/api/v1/portal/tickets/?box=mine&page_size=7&page=4",
    "/api/v1/portal/tickets/?box=mine&status=done",
    "/api/v1/portal/tickets/?box=mine&kind=repair",
    "/api/v1/portal/tickets/?box=mine&search=cmp",
    "/api/v1/portal/tickets/?box=mine&ordering=due_at",
    "/api/v1/portal/tickets/?box=mine&format=json",
    "/api/v1/portal/tickets/",
    "/api/v1/portal/tickets/?box=inbox",
    # The other ticket lists and two other pages with a pager (the rows' code, the filter form and the pager are
    # shared with them).
    "/portal/inbox/",
    "/portal/inbox/?page=2",
    "/portal/inbox/?kind=repair&q=%E4%BC%9A",
    "/portal/handling/",
    "/portal/handling/?q=cmp",
    "/portal/all/",
    "/portal/all/?page=2",
    "/portal/all/?status=in_review&kind=repair",
    "/portal/all/?overdue=1",
    "/vehicles/vehicles/?page=2",
    "/assets/cards/?page=3",
    "/portal/notifications/",
]
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
# The unit search's signed scope carries its signing time (django.core.signing: value:timestamp:signature).
SIGNED = re.compile(r"(\?scope=)[\w.-]+:[\w]+:[\w-]+")


def collect(users: list[str], urls: list[str]) -> dict:
    from django.conf import settings
    from django.test import Client

    from datahub.models import User

    out = {}
    for who in users:
        if who == "#first-requester":
            user = User.objects.filter(org_unit__isnull=False, is_active=True).order_by("pk").first()
        else:
            user = User.objects.get(username=who)
        for language in ("zh-hans", "en"):
            client = Client()
            client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for url in urls:
                for turn in (1, 2):
                    response = client.get(url, secure=True)
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    text = SIGNED.sub(r"\1…", CSRF.sub(r"\1…\2", body.decode("utf-8", "replace")))
                    out[f"{who} {language} {url} #{turn}"] = {
                        "status": response.status_code,
                        "type": response.get("Content-Type", ""),
                        "location": response.get("Location", ""),
                        "body": text,
                    }
    return out


def diff(a: str, b: str) -> int:
    old, new = json.loads(Path(a).read_text()), json.loads(Path(b).read_text())
    bad = 0
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            bad += 1
            print(f"DIFFERENT: {key}")
            if key in old and key in new:
                o, n = old[key]["body"], new[key]["body"]
                at = next((i for i, (x, y) in enumerate(zip(o, n, strict=False)) if x != y), min(len(o), len(n)))
                print(f"  old: {o[max(0, at - 80) : at + 80]!r}\n  new: {n[max(0, at - 80) : at + 80]!r}")
    print(f"{len(set(old) | set(new))} responses compared, {bad} different")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="#first-requester")
    parser.add_argument("--urls", default="")
    parser.add_argument("--out", default="")
    parser.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.diff:
        sys.exit(1 if diff(*args.diff) else 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    urls = Path(args.urls).read_text().split() if args.urls else URLS
    result = collect(args.users.split(","), urls)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=0, sort_keys=True))
    statuses = {}
    for value in result.values():
        statuses[value["status"]] = statuses.get(value["status"], 0) + 1
    print(f"{len(result)} responses written to {args.out}: statuses {statuses}")


if __name__ == "__main__":
    main()
