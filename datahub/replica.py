"""Reads that may be served by a read replica (``config.routers.ReplicaRouter``): the command center's pages
and the modules' lists, which read a lot and can be a second or two behind the primary. Everything else — every
write, the permission checks, a read inside a transaction — stays on the primary.

A flag in a context variable, so it follows the request's thread or task; ``replica_reads`` sets it for a block
or a function. Without a ``replica`` database configured it changes nothing."""

from contextlib import contextmanager
from contextvars import ContextVar

_READING = ContextVar("replica_reads", default=False)


def reading() -> bool:
    return _READING.get()


@contextmanager
def replica_reads():
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)
