"""Passwords are stored with Argon2id sized for the 2-core target (config/hashers.py, figures in bench/README.md);
hashes from before still sign in and are rewritten at the next sign-in.

The suite itself hashes with MD5 for speed (tests/settings.py); these tests use the production list."""

from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password
from django.test import override_settings

from config import settings as production

PASSWORD = "Zhang-San-2026"


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_a_new_password_is_stored_as_argon2id_with_19_mib_2_passes_1_lane():
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password("Li-Si-2026-wrong", encoded)


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_a_pbkdf2_password_from_before_still_signs_in_and_is_rewritten_with_argon2id():
    old = get_hasher("pbkdf2_sha256").encode(PASSWORD, "saltsaltsalt1234")
    rewritten = []
    assert check_password(PASSWORD, old, setter=rewritten.append)
    assert rewritten == [PASSWORD]  # Django calls the setter: the user's hash is saved again with the first hasher
    assert identify_hasher(make_password(PASSWORD)).algorithm == "argon2"
