"""The repairs ledger's filter row on a desktop (issue #19): its 自/至 labels used to sit above their date
fields, so the row's controls stood at two heights and the row wrapped unevenly. In a real headless
Chromium at 1366 px, in Chinese and in English, each label now sits beside its field, and every control of
the row that shares a line with the date fields is centred on the same line as them."""

import pytest

from datahub.management.commands.seed_demo import DEMO_PASSWORD
from tests import browser as b
from tests import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each date field: (its label's left < the field's left, the field's middle, the middles of the controls
# of the row on its line).
_ROW = """() => {
  const middle = el => { const r = el.getBoundingClientRect(); return Math.round(r.top + r.height / 2); };
  const controls = [...document.querySelectorAll('form.toolbar > input, form.toolbar > select, form.toolbar > button')];
  return [...document.querySelectorAll('form.toolbar input[type=date]')].map(field => {
    const label = field.closest('label');
    const beside = label.getBoundingClientRect().left < field.getBoundingClientRect().left
      && label.getBoundingClientRect().height < 2 * field.getBoundingClientRect().height;
    const mine = middle(field);
    const line = controls.map(middle).filter(m => Math.abs(m - mine) < 20);
    return [beside, mine, line];
  });
}"""


def test_the_repairs_filter_lines_up_its_date_fields_with_the_row_at_1366_px(browser, live_server):
    demo.seed()
    for language in ("zh-hans", "en"):
        context = browser.new_context(locale="zh-CN", viewport=b.DESKTOP)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "sunli")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(f"{live_server.url}/officespace/repairs/")
        fields = page.evaluate(_ROW)
        b.shot(page, "crawl", f"repairs-filter-{language}")
        context.close()
        assert len(fields) == 2, fields
        for beside, mine, line in fields:
            assert beside, (language, fields)
            assert line and all(abs(m - mine) <= 3 for m in line), (language, fields)
