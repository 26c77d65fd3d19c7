"""The ID-token signing key when none is configured (development only: settings refuse it without DEBUG)."""

from functools import cache

from jwcrypto import jwk


@cache
def ephemeral_private_key() -> str:
    """A fresh RSA key in PEM, made once per process: tokens it signed stop verifying after a restart."""
    return jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()
