"""The command center's demo: its roll-up, built from the other apps' demo rows (seed_demo runs this last)."""

from . import services


def seed(stdout) -> None:
    rows = services.rollup_rebuild()
    stdout.write(f"领导驾驶舱：月度汇总 {rows} 行。")
