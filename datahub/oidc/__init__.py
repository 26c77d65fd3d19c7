"""Unified identity for the departments' own systems (issue #12): the platform as OpenID Connect provider
(single sign-on) and OAuth2 client-credentials issuer for system-to-system API calls.

django-oauth-toolkit (DOT) runs the protocol: discovery, JWKS, authorization code + PKCE, refresh-token
rotation, userinfo, RP-initiated logout, revocation, introspection. Its ``Application`` model is kept as it is
(the data-sharing exchange links its consumers to it); what the bureau knows about a department's system —
owning unit, kind, contact, the scopes it may ask for, whether it is suspended — is ``RegisteredSystem``, one
row per Application, written only by ``services``. ``validator.Validator`` is where our rules meet the
protocol: claims from the directory, scopes limited to the registration, suspended systems and deactivated
people refused at once.
"""
