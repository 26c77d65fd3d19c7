"""What the import benches do after removing the rows a run wrote."""

import os

from django.db import connection


def vacuum(*tables: str) -> None:
    """VACUUM ANALYZE of ``tables`` (``BENCH_VACUUM=0``: not). Autovacuum is off on the bench machine: the rows each
    cleared import and rolled-back floor leave would pile up run after run as dead rows, in the heap and in the
    unique indexes the next floor and import write the same keys into (the asset numbers, a month's records)."""
    if os.environ.get("BENCH_VACUUM", "1") != "0":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
