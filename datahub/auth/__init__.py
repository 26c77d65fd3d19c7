"""Credentials that end (等保 2.0 level 3, 身份鉴别): expiring, revocable API tokens, password
rules (length, character classes, no reuse, maximum age) and the per-address sign-in limit.

The tables live in datahub.models (ApiToken, PasswordRecord); the limits are settings read
through rules.py so an operator can tighten them without a release.
"""
