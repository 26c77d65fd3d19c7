"""The prepared cursor (datahub.catalog.prepared) reads instants as the ORM does: its own loader for timestamptz
(psycopg's, in C, where Django registers a Python one) gives the same value in the same zone object."""

import pytest
from django.db import connection

from datahub.catalog import prepared
from datahub.models import User
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="elsewhere it is the ordinary cursor"),
]


def test_an_instant_reads_as_the_orm_reads_it(people):
    for user in (people.clerk_a1, UserFactory(username="late", last_login="2026-12-07T23:59:59.999999+08:00")):
        orm = User.objects.values_list("date_joined", "last_login").get(pk=user.pk)
        with prepared.cursor() as cursor:
            cursor.execute("SELECT date_joined, last_login FROM datahub_user WHERE id = %s", [user.pk])
            read = cursor.fetchone()
        assert read == orm
        assert [getattr(v, "tzinfo", None) for v in read] == [getattr(v, "tzinfo", None) for v in orm]
        assert read[0].tzinfo is connection.timezone
