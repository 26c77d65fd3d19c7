"""The site crawl's page checks on pages written for the purpose (tests/crawl.py): what they must catch
and what they must let pass, so that a green crawl means the demo's pages are clean, not that the checks
look at nothing."""

from tests import crawl

SHARED = frozenset({"办公室"})


def _page(html: str) -> crawl.Page:
    page = crawl.Page()
    page.feed(html)
    return page


def test_a_shared_unit_name_shown_bare_in_a_unit_column_is_caught():
    html = (
        "<table><tr><th>姓名</th><th>使用单位</th><th>单位建筑面积能耗</th></tr>"
        "<tr><td>张伟</td><td>办公室</td><td>办公室</td></tr>"
        "<tr><td>李娜</td><td>财政厅 › 办公室</td><td>7.50</td></tr></table>"
    )
    # The unit column's bare 办公室 only: the path passes, and 单位建筑面积能耗 (单位 as "per") is no unit column.
    assert crawl._bare_units(_page(html), SHARED) == ["使用单位: 办公室"]


def test_a_unit_picker_showing_a_shared_name_bare_is_caught():
    html = (
        '<select name="org_unit"><option value="1">办公室</option><option value="2">财政厅 › 办公室</option></select>'
        '<select name="status"><option>办公室</option></select>'
    )
    assert crawl._bare_units(_page(html), SHARED) == ["picker: 办公室"]


def test_a_money_or_area_figure_with_more_than_two_decimals_is_caught():
    html = (
        "<table><tr><th>金额（元）</th><th>使用面积（m²）</th><th>单位建筑面积能耗（kgce/m²）</th></tr>"
        "<tr><td>129640.060000000</td><td>18.00</td><td>7.5123</td></tr></table>"
        '<dl class="props"><dt>建筑面积</dt><dd>6800.0000 m²</dd></dl>'
    )
    assert crawl._long_decimals(_page(html)) == ["金额（元）: 129640.060000000", "建筑面积: 6800.0000 m²"]
