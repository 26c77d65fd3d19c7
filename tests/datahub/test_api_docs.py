"""``/api/schema/`` is generated once per process and language (datahub/api/docs.py), and the copy it keeps is the
one every reader would have been given."""

import pytest
from django.test import Client

from datahub.api import docs


def schema_as(user, **query):
    client = Client()
    client.force_login(user)
    response = client.get("/api/schema/", {"format": "json", **query})
    assert response.status_code == 200
    return response.content


@pytest.mark.django_db
def test_the_schema_does_not_depend_on_who_asks(people):
    docs._forget()
    as_clerk = schema_as(people.clerk_a1)
    docs._forget()  # generated again, for the other reader
    assert schema_as(people.admin_a) == as_clerk


@pytest.mark.django_db
def test_the_schema_is_kept_per_language_and_served_again(people):
    docs._forget()
    chinese = schema_as(people.clerk_a1)
    english = schema_as(people.clerk_a1, lang="en")
    assert len(docs._generated) == 2
    assert chinese != english
    assert schema_as(people.admin_a) == chinese and schema_as(people.admin_a, lang="en") == english
    assert len(docs._generated) == 2


@pytest.mark.django_db
def test_a_changed_setting_drops_the_kept_schema(people, settings):
    schema_as(people.clerk_a1)
    settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS, "TITLE": "另一个标题"}
    assert docs._generated == {}
