"""A bearer-token exchange call takes the middleware lane (datahub.middleware.BearerApiLaneMiddleware): no
session, user, messages, CSRF or lockout middleware. What the caller receives is what the full chain sends,
header for header — security headers, CSP, Vary, Content-Language, ETag — and the same error bodies."""

import pytest
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.test import override_settings
from django.urls import path
from django.views import View
from rest_framework.test import APIClient

from datahub.catalog import pipelined
from datahub.catalog.models import TrailHead
from datahub.models import TrailRecord
from tests.catalog_factories import access_token, build_hub, share
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

URL = "/api/exchange/v1/{}/"
LANE = "datahub.middleware.BearerApiLaneMiddleware"
WITHOUT_LANE = [name for name in settings.MIDDLEWARE if name != LANE]


def answer(client, path, params=None, **headers):
    response = client.get(path, params or {}, secure=True, **headers)
    return response.status_code, sorted(response.items()), response.content


def through_both_chains(client, path, params=None, **headers):
    lane = answer(client, path, params, **headers)
    with override_settings(MIDDLEWARE=WITHOUT_LANE):
        full = answer(client, path, params, **headers)
    return lane, full


@pytest.fixture
def system_client(hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, application=hub.app_a, row_scope="all", items=["code"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token(hub.app_a)}")
    return client


def test_the_lane_is_in_the_chain_right_after_the_security_middleware():
    assert settings.MIDDLEWARE[settings.MIDDLEWARE.index(LANE) - 1] in (
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )


@pytest.mark.parametrize("params", [{"page_size": 2}, {"page_size": 1000}])
def test_a_page_through_the_lane_is_the_full_chains_page_header_for_header(hub, system_client, params):
    lane, full = through_both_chains(system_client, URL.format(hub.units.code), params)
    assert lane == full
    status, headers, _body = lane
    headers = dict(headers)
    assert status == 200 and headers["Vary"] == "Accept, Accept-Language, Cookie"
    assert headers["Content-Language"] == "zh-hans" and "Content-Security-Policy" in headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "policies",
    [
        {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": {"default-src": ["'none'"], "img-src": ["data:"]}}},
        {"CONTENT_SECURITY_POLICY_REPORT_ONLY": {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp/"}}},
        {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": {"default-src": ["'self'"]}, "EXCLUDE_URL_PREFIXES": ["/api/"]}},
    ],
)
def test_the_lanes_policies_built_once_follow_the_settings(hub, system_client, policies):
    # The lane builds the settings' policies once (datahub.middleware.SettingsCSPMiddleware): a change of the settings
    # is a change of what it sends, as in the full chain.
    before = dict(through_both_chains(system_client, URL.format(hub.units.code))[0][1])
    with override_settings(**policies):
        lane, full = through_both_chains(system_client, URL.format(hub.units.code))
    assert lane == full
    after = dict(lane[1])
    assert (after.get("Content-Security-Policy"), after.get("Content-Security-Policy-Report-Only")) != (
        before.get("Content-Security-Policy"),
        before.get("Content-Security-Policy-Report-Only"),
    )
    assert dict(through_both_chains(system_client, URL.format(hub.units.code))[0][1]) == before


def test_the_chosen_language_is_kept_in_the_answer_and_in_the_trail(hub, system_client):
    system_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lane, full = through_both_chains(system_client, URL.format(hub.units.code))
    assert lane == full and dict(lane[1])["Content-Language"] == "en"
    assert [r.row_scope for r in TrailRecord.objects.order_by("seq")] == ["All", "All"]


def test_a_not_modified_answer_is_the_same_through_the_lane(hub, system_client):
    etag = system_client.get(URL.format(hub.units.code), secure=True)["ETag"]
    lane, full = through_both_chains(system_client, URL.format(hub.units.code), HTTP_IF_NONE_MATCH=etag)
    assert lane == full and lane[0] == 304


@pytest.mark.parametrize(
    ("params", "status"),
    [({"page_size": "0"}, 400), ({"cursor": "forged"}, 400), ({"items": "name"}, 403), ({"q": "a\x00b"}, 400)],
)
def test_refusals_through_the_lane_are_the_full_chains_refusals(hub, system_client, params, status):
    lane, full = through_both_chains(system_client, URL.format(hub.units.code), params)
    assert lane == full and lane[0] == status


def test_an_unknown_token_or_entry_is_refused_as_before(hub, system_client):
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    lane, full = through_both_chains(stranger, URL.format(hub.units.code))
    assert lane == full and lane[0] == 401
    lane, full = through_both_chains(system_client, URL.format("9-99-999.9999"))
    assert lane == full and lane[0] == 404


def test_a_call_with_a_session_cookie_takes_the_full_chain(hub, system_client, people):
    system_client.force_login(people.admin_a)
    lane, full = through_both_chains(system_client, URL.format(hub.units.code))
    assert lane == full and lane[0] == 200


class _PendingCommitProbe(View):
    """A lane view that leaves a statement's commit pending with the lane, then reads the database."""

    @staticmethod
    def lane_answer(request):
        finish = pipelined.send("SELECT %s + 0", [7])  # the same SQL on both databases
        finished = []
        request.lane_before_answer(lambda: finished.append(finish()))
        before = [list(row) for row in finished]
        TrailHead.objects.count()  # waits for the pending commit first
        return JsonResponse({"finished_before_the_query": before, "finished_by_the_query": finished})


urlpatterns = [path("api/probe/", _PendingCommitProbe.as_view())]


@override_settings(ROOT_URLCONF=__name__)
def test_a_statement_run_while_a_commit_is_pending_on_the_lane_waits_for_it_first(db):
    # The exchange hands its trail row's commit to the lane, which waits for it once the lane's middleware has
    # processed the answer; a statement run before then would find the connection busy, so it waits first.
    response = APIClient().get("/api/probe/", secure=True, HTTP_AUTHORIZATION="Bearer probe")
    assert response.status_code == 200
    assert response.json() == {"finished_before_the_query": [], "finished_by_the_query": [[7]]}
    if connection.vendor == "postgresql":
        assert connection.connection.pgconn.pipeline_status == 0
