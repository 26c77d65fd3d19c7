"""Bearer secrets of the platform (people's API tokens, vehicle terminals' tokens).

A token is 256 random bits; only its SHA-256 digest is stored. A fast digest is enough for
a secret of that entropy (nothing to brute-force) and keeps the per-request lookup one
indexed query; slow password hashes are for low-entropy secrets that people choose.
"""

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix(token: str) -> str:
    """The first characters, kept in clear so a person can tell their tokens apart."""
    return token[:PREFIX_LENGTH]
