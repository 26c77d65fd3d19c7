"""The platform's own error pages: Chinese, in the layout, with the way home — never Django's technical pages."""

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import UserFactory


def test_unknown_address_gets_the_platform_404_even_with_debug_on(client, db, settings):
    # The demo runs with DEBUG on; its 404 must not list the URL patterns.
    settings.DEBUG = True
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert "返回首页" in html
    assert "URLconf" not in html
    assert "Page not found" not in html


def test_record_outside_the_users_units_is_the_same_404(client, db, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())
    response = client.get(reverse("person-detail", args=[999_999_999]))
    assert response.status_code == 404
    assert "您要找的记录不存在，或不在您的管理范围内。" in response.content.decode()


def test_opening_a_post_only_address_explains_itself(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("person-roles", args=[user.pk]))
    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "不能直接打开此地址" in html
    assert "用页面上的按钮操作" in html


def test_api_errors_stay_json(client, db):
    client.force_login(UserFactory())
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "接口地址不存在，请核对 /api/docs/ 中的接口列表。", "fields": {}}


def test_api_id_the_route_refuses_answers_the_documented_error_body(client, db):
    # Schemathesis sends "1.5" for an integer id; the router's pattern refuses it before any view runs.
    client.force_login(UserFactory())
    response = client.post("/api/v1/portal/bundles/1.5/withdraw/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "fields"}


def test_server_error_page_needs_no_request_context(db):
    # Django renders 500.html without context processors; the page must still say what happened in Chinese.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出错" in html
    assert "您的操作没有保存" in html


def test_favicon_is_served_from_static_files(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("favicon.svg")
