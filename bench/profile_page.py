"""Profile one page of the bench database with pyinstrument (not a figure: where a page's time goes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yw_perf_bench \\
        .venv/bin/python bench/profile_page.py /vehicles/vehicles/ --who admin --reps 20

``--who``: ``requester``, ``approver`` or ``admin`` (the people bench_pages picks). pyinstrument is not a
dependency of the platform: install it where this runs (``pip install pyinstrument``).
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--who", default="admin", choices=("requester", "approver", "admin"))
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("profile_page: DATABASE_URL must name the bench database")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-a-secret-" + "x" * 30)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import bench_pages
    from django.test import Client
    from pyinstrument import Profiler

    from datahub.models import User
    from datahub.roles import Role

    who = {
        "requester": lambda: User.objects.filter(org_unit__isnull=False, is_active=True).order_by("pk").first(),
        "approver": lambda: bench_pages._granted(Role.APPROVER, 3),
        "admin": lambda: bench_pages._granted(Role.BUREAU_ADMIN, 1),
    }[args.who]()
    client = Client()
    client.force_login(who)
    assert client.get(args.url, secure=True).status_code == 200
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.reps):
            client.get(args.url, secure=True)
    print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"))


if __name__ == "__main__":
    main()
