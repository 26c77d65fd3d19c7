"""tests/demo.py: the copy of the demo is what ``manage.py seed_demo`` leaves, and a database that holds other rows
still gets the command."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from tests import demo, reference
from tests.factories import UserFactory


def _in_savepoint(work):
    """What ``work`` leaves in the database, read before it is rolled back."""
    with transaction.atomic():
        work()
        rows = reference.contents()
        transaction.set_rollback(True)
    return rows


def _unordered(rows) -> dict:
    """Each table's rows as a sorted list: a table's physical order is not part of its contents (rows updated or
    routed to partitions come back in another order). PostgreSQL's are COPY text, a line per row."""
    return {
        t: sorted(content.split(b"\n")) if isinstance(content, bytes) else (content[0], sorted(content[1], key=repr))
        for t, content in rows.items()
    }


@pytest.mark.django_db
def test_the_copy_holds_every_row_the_command_wrote():
    assert reference.untouched()
    _in_savepoint(demo.seed)  # the command, unless a module before this one on the worker ran it (and kept its rows)
    copied = _in_savepoint(demo.seed)  # a copy now, whatever came before
    by_command, _files = demo._kept["default"]
    assert _unordered(copied) == _unordered(by_command)
    assert reference.untouched()


@pytest.mark.django_db
def test_the_copy_signs_the_demo_people_in_and_brings_the_stored_files(client, settings, tmp_path):
    from datahub.management.commands.seed_demo import DEMO_PASSWORD

    _in_savepoint(demo.seed)
    settings.MEDIA_ROOT = tmp_path  # a module with media of its own
    demo.seed()
    response = client.post("/accounts/login/", {"username": "zhangwei", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    names = demo._stored_files()
    assert names, "the demo stores an energy report's documents"
    assert all(default_storage.exists(name) for name in names)


@pytest.mark.django_db
def test_a_database_with_rows_of_its_own_is_not_copied_into():
    """``seed`` copies only into a database with the reference rows alone; any other gets the command itself."""
    assert reference.untouched()
    with transaction.atomic():
        UserFactory(username="someone_else")
        assert not reference.untouched()
        transaction.set_rollback(True)
    assert reference.untouched()
