"""Each app's migrations are squashed (a fresh database runs one migration per app, two for the data hub), the old
chain kept beside them for databases that ran it. A squash must leave Django's model state exactly where its
chain leaves it: same models, fields, options, indexes and constraints. This compares the two states operation
by operation, without a database (the tables, seeded rows, triggers and partitions were compared with pg_dump and
sqlite3 once, bench/README.md, "The migrations squashed per app"; two migrations from nothing take too long here).
"""

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

LOADER = MigrationLoader(None, ignore_no_migrations=True)
SQUASHES = sorted(LOADER.replacements)


def state_after(app_label: str, keys) -> dict:
    state = ProjectState()
    for key in keys:
        LOADER.disk_migrations[key].mutate_state(state, preserve=False)
    return {name: model for (label, name), model in state.models.items() if label == app_label}


def chain_of(app_label: str, squashes) -> list:
    return [key for squash in squashes for key in LOADER.replacements[squash].replaces]


@pytest.mark.parametrize("app_label", sorted({label for label, _ in SQUASHES}))
def test_the_squashed_migrations_leave_the_same_models_as_the_chain_they_replace(app_label):
    squashes = [key for key in SQUASHES if key[0] == app_label]
    old = state_after(app_label, chain_of(app_label, squashes))
    new = state_after(app_label, squashes)
    assert sorted(new) == sorted(old)
    for name, model in old.items():
        assert new[name] == model, f"{app_label}.{name} differs"
        # ModelState's equality ignores the order of fields, which is the order of the table's columns
        assert list(new[name].fields) == list(model.fields), f"{app_label}.{name}: columns in another order"


def test_every_migration_of_a_squashed_app_is_replaced_once_in_order():
    for app_label in sorted({label for label, _ in SQUASHES}):
        squashes = [key for key in SQUASHES if key[0] == app_label]
        replaced = chain_of(app_label, squashes)
        old = sorted(key for key in LOADER.disk_migrations if key[0] == app_label and key not in squashes)
        assert replaced == old[: len(replaced)], app_label


def body(function) -> tuple:
    """A function's compiled body: equal for a copy whose constants or name were renamed, not for changed code."""
    if function is None:
        return ()
    code = function.__code__
    return code.co_code, tuple(c for c in code.co_consts if not hasattr(c, "co_code"))


def test_every_data_step_of_the_chain_runs_in_its_squash_unless_it_is_elidable():
    """Seeds, triggers, partitions and storage settings are copied into the squash; a step that only converts
    rows a fresh database cannot have is marked elidable in the old chain and left out."""
    from django.db.migrations.operations.special import RunPython

    for squash in SQUASHES:
        steps = [
            op
            for op in LOADER.disk_migrations[squash].operations
            if isinstance(op, RunPython) and op.code.__name__ != "deferred_sql_now"  # the squash's own first step
        ]
        copied = [(body(op.code), body(op.reverse_code)) for op in steps]
        wanted = [
            (body(op.code), body(op.reverse_code))
            for key in LOADER.replacements[squash].replaces
            for op in LOADER.disk_migrations[key].operations
            if isinstance(op, RunPython) and not op.elidable
        ]
        assert copied == wanted, squash
