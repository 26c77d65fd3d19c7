"""The platform as its people meet it (issue #19): every demo role signs in on the demo data and follows
the links its pages show from the home page (bounded: tests/crawl.py). The walk fails on a server error,
a link shown to the user that answers 403 or 404, English from the untranslated-string list on a
zh-hans page, a money or area figure with more than two decimals, a unit column or picker showing bare a
name several units share (办公室 where 财政厅 › 办公室 is meant), and anything loaded from another host.
One walk per module; each check is its own test so a failure names what is wrong."""

import pytest
from django.db.models import Count

from datahub.models import OrgUnit, User
from tests import crawl, demo
from tests.sharing import shared_fixture
from tests.signed_in import signed_in_as_production

pytestmark = pytest.mark.django_db

DEMO_ROLES = [
    "zhangwei",
    "lina",
    "wangqiang",
    "chenming",
    "zhaolei",
    "sunli",
    "zhoujie",
    "wufang",
    "zhengyu",
    "liuyang",
    "sysadmin",
]


def build_walk():
    """The demo data, then every demo role's walk, signed in as production is with Redis (the leak crawler's
    arrangement: the session, the user and its grants from a cache of the walk's own, not three table reads a
    page). The walk only reads: no user, unit or grant changes under it, so nothing in that cache goes stale."""
    from django.test import Client

    demo.seed()
    shared = (
        OrgUnit.objects.order_by().values("name").annotate(n=Count("pk")).filter(n__gt=1).values_list("name", flat=True)
    )
    findings = crawl.Findings(shared_names=frozenset(shared))
    with signed_in_as_production():
        for username in DEMO_ROLES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            crawl.walk(client, username, findings)
    return findings


shared_walk, walk = shared_fixture("walk", build_walk)


def _report(items):
    return "\n".join(items[:40]) + (f"\n… and {len(items) - 40} more" if len(items) > 40 else "")


def test_the_walk_reads_many_pages_of_every_role(walk):
    assert walk.pages >= len(DEMO_ROLES) * 10


def test_no_page_reachable_by_any_role_is_a_server_error(walk):
    assert walk.server_errors == [], _report(walk.server_errors)


def test_no_link_shown_to_a_user_answers_403_or_404(walk):
    assert walk.dead_links == [], _report(walk.dead_links)


def test_no_zh_hans_page_shows_untranslated_english(walk):
    assert walk.english == [], _report(walk.english)


def test_no_money_or_area_figure_has_more_than_two_decimals(walk):
    assert walk.long_decimals == [], _report(walk.long_decimals)


def test_the_demo_has_departments_that_share_a_name(walk):
    # What the next check guards against must exist in the demo: else it would pass for nothing.
    assert "办公室" in walk.shared_names


def test_no_unit_column_or_picker_shows_a_shared_name_bare(walk):
    assert walk.bare_units == [], _report(walk.bare_units)


def test_no_page_loads_anything_from_another_host(walk):
    assert walk.other_hosts == [], _report(walk.other_hosts)
