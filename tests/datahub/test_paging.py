"""A list's row links, built from one reverse(), are the links {% url %} gives."""

from django.urls import reverse

from datahub.paging import row_url


def test_row_links_are_the_reversed_urls_for_every_id():
    for name in ("assets:card-detail", "vehicles:vehicle-detail", "portal:ticket", "portal:decide"):
        link = row_url(name)
        for pk in (1, 7, 918, 273645, 10**17):
            assert link(pk) == reverse(name, args=[pk])
