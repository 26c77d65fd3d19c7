"""Every admin object page of every registered model, as every demo role, on the demo data: an object the
change list does not show is never readable (404, or the admin's sign-in page for roles without the admin), a
revert POST on an object the user may only view is refused, and nothing is written."""

import contextlib

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from datahub.models import User
from tests import demo
from tests.signed_in import signed_in_as_production

DEMO_USERS = [
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
]


def _history_rows() -> int:
    return sum(
        model.history.count()
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    )


def _object_urls(model, model_admin, obj) -> dict[str, str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = {"change": reverse(f"{info}_change", args=[obj.pk]), "history": reverse(f"{info}_history", args=[obj.pk])}
    with contextlib.suppress(NoReverseMatch):
        urls["delete"] = reverse(f"{info}_delete", args=[obj.pk])
    if isinstance(model_admin, SimpleHistoryAdmin):
        version = obj.history.order_by("history_id").first()
        if version is not None:
            urls["history_form"] = reverse(f"{info}_simple_history", args=[obj.pk, version.history_id])
    return urls


@pytest.mark.django_db
def test_no_demo_role_reads_or_writes_an_object_outside_its_scope_through_the_admin(client):
    demo.seed()
    log_before, history_before = LogEntry.objects.count(), _history_rows()
    # Signed in as production is with Redis (the leak crawler's arrangement): the session, the user and its
    # grants from a cache of the crawl's own instead of three table reads a request, which were a third of the
    # crawl's requests' CPU. The crawl writes nothing (proved at the end), so nothing in that cache goes stale.
    with signed_in_as_production():
        checked = _crawl(client)
    assert checked > 500
    # The only admin writes a crawl could make would be by users allowed to change the row; posting an empty
    # form changes nothing, so the admin log and every history table are as they were.
    assert LogEntry.objects.count() == log_before
    assert _history_rows() == history_before


def _crawl(client) -> int:
    """Every demo role on the admin pages of one object outside its scope per model (and, with history, the revert
    of one inside it); returns how many pages were checked."""
    checked = 0
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        request = RequestFactory().get("/admin/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            visible = model_admin.get_queryset(request)
            may_view = user.is_staff and model_admin.has_view_or_change_permission(request)
            outside = model._default_manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
            samples = [(outside, False)] if outside is not None else []
            inside = visible.order_by("pk").first() if may_view else None
            if inside is not None and isinstance(model_admin, SimpleHistoryAdmin):
                samples.append((inside, True))
            for obj, in_scope in samples:
                for kind, url in _object_urls(model, model_admin, obj).items():
                    checked += 1
                    if in_scope:
                        # Inside the scope only the revert is tried: it needs the change permission.
                        if kind == "history_form" and not model_admin.has_change_permission(request, obj):
                            assert client.post(url, {"post": "yes"}).status_code == 403, (username, url)
                        continue
                    got, posted = client.get(url), client.post(url, {"post": "yes"})
                    if not user.is_staff:
                        assert got.status_code == posted.status_code == 302, (username, url)
                        assert "/admin/login/" in got["Location"], (username, url)
                    else:
                        assert got.status_code in (403, 404), (username, url, got.status_code)
                        assert posted.status_code in (403, 404), (username, url, posted.status_code)
    return checked
