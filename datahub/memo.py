"""Markup and labels kept in this process, for values that depend only on their key (a language, a role set, the
user's cache tokens): a page redraws none of them per request (#17).

A ``Bounded`` map empties itself when it reaches its size, rather than tracking use: the keys are few (languages ×
role sets × shapes) and the bound only guards against a key nobody foresaw growing without end.
"""


class Bounded:
    def __init__(self, size: int):
        self._size = size
        self._entries: dict = {}

    def get(self, key):
        return self._entries.get(key)

    def keep(self, key, value):
        """Store ``value`` under ``key`` (emptying the map first when it is full) and return it."""
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = value
        return value

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
