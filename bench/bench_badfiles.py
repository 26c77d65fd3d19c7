"""How long the shared import reader (datahub.sheets) spends on each file of the bad-file corpus
(tests/badfiles.py) before it refuses it: wall seconds from the call to the refusal, for the
smallest import's row limit (vehicles, 5,000 rows) and the largest (asset cards, 200,000 rows).

Needs no database. Inside the runner it is one more ``bench_*`` module; on its own:

    .venv/bin/python bench/bench_badfiles.py
"""

import io
import os
import sys
import time
from pathlib import Path

LIMITS = {"vehicles": 5_000, "assets": 200_000}
HEADER = ("号牌号码", "车辆识别代号", "所属单位编码")


def _time(content: bytes, filename: str, max_rows: int) -> tuple[float, str]:
    from django.core.exceptions import ValidationError

    from datahub import sheets

    start = time.perf_counter()
    try:
        rows = sheets.table_rows(io.BytesIO(content), filename, max_rows=max_rows)
        outcome = f"read {sum(1 for _ in rows)} rows"
    except sheets.SheetRefused as exc:
        outcome = f"pre-check: {exc.messages[0]}"
    except ValidationError as exc:
        outcome = f"while reading: {exc.messages[0]}"
    return time.perf_counter() - start, outcome


def run():
    from tests.badfiles import CORPUS, build

    for bad in CORPUS:
        content = build(bad.name, HEADER, ("不存在",) * len(HEADER))
        for importer, max_rows in LIMITS.items():
            seconds, outcome = _time(content, bad.filename, max_rows)
            yield {
                "name": f"badfile.{bad.name}.{importer}",
                "value": round(seconds, 4),
                "unit": "s",
                "file_bytes": len(content),
                "outcome": outcome[:120],
            }


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    for figure in run():
        print(json.dumps(figure, ensure_ascii=False))
