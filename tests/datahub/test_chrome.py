"""Every page's chrome drawn from pieces rendered once (datahub/templatetags/yw_chrome.py) is the markup its
template gives for the same request; lazy labels translated once per language still follow the language; the
Redis cache backend reuses its client."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.template.context import make_context
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from datahub.labels import shown
from datahub.rediscache import RedisCache
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TAG = Template("{% load yw_chrome %}{% topbar %}")


def _both(user, language="zh-hans", path="/portal/mine/?q=a&page=2", **values) -> tuple[str, str]:
    """(the tag's top bar, includes/topbar.html rendered by the engine) for one request."""
    request = RequestFactory().get(path)
    request.user = user
    with translation.override(language):
        context = {"topbar_nav": "", **values}
        return (
            # As a view renders: the view's values over the context processors'.
            TAG.render(make_context(context, request)),
            get_template("includes/topbar.html").template.render(make_context(context, request)),
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("unread", [0, 3, 1234])
def test_the_top_bar_is_its_template_for_a_signed_in_person(language, unread):
    unit = OrgUnitFactory(name="某厅 <办公室> & “综合”")
    person = UserFactory(org_unit=unit, name="张<三>")
    tag, template = _both(person, language, unread_notifications=unread, csrf_token="tok&en", topbar_nav="<nav>x</nav>")
    assert tag == template
    assert "张&lt;三&gt;" in tag and "某厅 &lt;办公室&gt; &amp;" in tag and "q=a&amp;page=2" in tag
    assert ('<span class="badge">' in tag) == bool(unread)


def test_the_top_bar_without_a_unit_a_token_or_a_person():
    person = UserFactory(org_unit=None)
    for user, values in (
        (person, {"unread_notifications": 2, "csrf_token": "abc"}),
        (person, {"csrf_token": "NOTPROVIDED"}),
        (AnonymousUser(), {"csrf_token": "abc"}),
        (AnonymousUser(), {"csrf_token": ""}),
    ):
        tag, template = _both(user, **values)
        assert tag == template


def test_the_head_assets_are_their_template():
    rendered = Template("{% load yw_chrome %}{% head_assets %}").render(RequestContext(RequestFactory().get("/")))
    assert rendered == get_template("includes/head_assets.html").render({})
    assert "css/app.css" in rendered


def test_a_signed_in_page_carries_the_top_bar_with_its_values(client):
    person = UserFactory(org_unit=OrgUnitFactory(name="某某局"))
    client.force_login(person)
    html = client.get("/portal/mine/?q=x").content.decode()
    assert f"{person.name} · 某某局" in html
    assert 'name="next" type="hidden" value="/portal/mine/?q=x"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2


def test_a_lazy_label_is_shown_in_the_active_language_each_time():
    label = gettext_lazy("草稿")
    with translation.override("en"):
        english = shown(label)
    with translation.override("zh-hans"):
        assert shown(label) == "草稿"
    with translation.override("en"):
        assert shown(label) == english != "草稿"
    assert shown("纯文本") == "纯文本"


def test_the_redis_backend_reuses_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})  # no connection is opened to build a client
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
