"""Facts about a catalog entry that other apps hold. datahub imports nothing of ours, so an app that keeps such
facts (datasharing: the open 纠错 of an entry) registers a reader here in its AppConfig.ready()."""

from collections.abc import Callable

# reader(dataset) -> list of {"ticket_id", "title", "item", "status", "filed_at"} dicts, oldest first.
_CORRECTION_READERS: list[Callable] = []


def read_open_corrections(reader: Callable) -> None:
    if reader not in _CORRECTION_READERS:
        _CORRECTION_READERS.append(reader)


def open_corrections(dataset) -> list[dict]:
    return [row for reader in _CORRECTION_READERS for row in reader(dataset)]
