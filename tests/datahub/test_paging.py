"""A list's row links, built from one reverse(), are the links {% url %} gives."""

from django.urls import reverse

from datahub.paging import row_url


def test_row_links_are_the_reversed_urls_for_every_id():
    for name in ("assets:card-detail", "vehicles:vehicle-detail", "portal:ticket", "portal:decide"):
        link = row_url(name)
        for pk in (1, 7, 918, 273645, 10**17):
            assert link(pk) == reverse(name, args=[pk])


def test_row_markup_escapes_every_cell_and_keeps_built_fragments():
    """A row's text is escaped as the template escaped it; a fragment built with format_html stays markup."""
    from django.utils.html import format_html

    from datahub.paging import RowMarkup

    row = RowMarkup('<tr><td><a href="{url}">{name}</a>{tag}</td><td>{n}</td></tr>')
    html = row.render(
        [
            {
                "url": "/a/?x=1&y=2",
                "name": '<script>"财政厅"</script>',
                "tag": format_html("<b>{}</b>", "督办"),
                "n": 3,
            },
            {"url": "/b/", "name": "办公室", "tag": "", "n": None, "unused": object()},
        ]
    )
    assert html == (
        '<tr><td><a href="/a/?x=1&amp;y=2">&lt;script&gt;&quot;财政厅&quot;&lt;/script&gt;</a><b>督办</b></td>'
        "<td>3</td></tr>"
        '<tr><td><a href="/b/">办公室</a></td><td>None</td></tr>'
    )
