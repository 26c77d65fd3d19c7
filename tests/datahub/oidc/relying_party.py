"""A relying party written with nothing but Django's test client: what a department's system does to sign a
person in through the platform (authorization code + PKCE), check the ID token against the published keys,
read userinfo, refresh, and call the API with a system token."""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from jwcrypto import jwk, jwt

from datahub.oidc import services
from datahub.oidc.rules import SystemKind

REDIRECT = "https://canteen.example.gov.cn/oidc/callback"
LOGOUT_RETURN = "https://canteen.example.gov.cn/"


@dataclass
class Registered:
    system: object
    secret: str

    @property
    def client_id(self) -> str:
        return self.system.application.client_id

    def basic(self, secret: str | None = None) -> str:
        raw = f"{self.client_id}:{secret or self.secret}".encode()
        return "Basic " + base64.b64encode(raw).decode()


def register(
    actor, unit, *, name="食堂管理系统", kind=SystemKind.SIGN_IN, scopes=None, skip_consent=False
) -> Registered:
    if scopes is None:
        scopes = (
            ["openid", "profile", "org", "roles"]
            if kind == SystemKind.SIGN_IN
            else ["directory", "exchange"]
            if kind == SystemKind.SERVICE
            else ["openid", "profile", "org", "roles", "directory"]
        )
    system, secret = services.system_register(
        actor=actor,
        org_unit=unit,
        name=name,
        kind=kind,
        scopes=scopes,
        redirect_uris=REDIRECT if kind != SystemKind.SERVICE else "",
        post_logout_redirect_uris=LOGOUT_RETURN if kind != SystemKind.SERVICE else "",
        contact_name="王工",
        contact_phone="0571-87000000",
        contact_email="ops@example.gov.cn",
        description="测试",
        skip_consent=skip_consent,
    )
    return Registered(system=system, secret=secret)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(reg: Registered, *, challenge: str | None, scope="openid profile org roles", **extra) -> dict:
    params = {
        "response_type": "code",
        "client_id": reg.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "st-" + secrets.token_hex(4),
        "nonce": "n-" + secrets.token_hex(4),
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra)
    return params


def query_of(location: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def sign_in(client, user, reg: Registered, *, scope="openid profile org roles", consent=True) -> tuple[str, str, dict]:
    """The browser part: signed in on the platform, ask for a code, agree on the consent page if shown.

    Returns (code, verifier, params)."""
    client.force_login(user)
    verifier, challenge = pkce()
    params = authorize_params(reg, challenge=challenge, scope=scope)
    response = client.get("/o/authorize/", params)
    if response.status_code == 200:
        assert consent, "the consent page was shown to an internal system"
        assert "同意并登录" in response.content.decode()
        response = client.post("/o/authorize/", {**params, "allow": "Authorize"})
    assert response.status_code == 302, response.content.decode()[:500]
    location = response["Location"]
    assert location.startswith(REDIRECT), location
    query = query_of(location)
    assert query["state"] == params["state"]
    return query["code"], verifier, params


def exchange(client, reg: Registered, code: str, verifier: str | None, *, redirect_uri=REDIRECT, secret=None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier:
        data["code_verifier"] = verifier
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=reg.basic(secret))


def refresh(client, reg: Registered, refresh_token: str):
    return client.post(
        "/o/token/", {"grant_type": "refresh_token", "refresh_token": refresh_token}, HTTP_AUTHORIZATION=reg.basic()
    )


def client_credentials(client, reg: Registered, scope: str | None = None, secret: str | None = None):
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=reg.basic(secret))


def verify_id_token(client, id_token: str, *, audience: str) -> dict:
    """Check the ID token's signature against the JWKS the discovery document points to, and its audience."""
    discovery = client.get("/.well-known/openid-configuration").json()
    jwks_path = urlsplit(discovery["jwks_uri"]).path
    keys = jwk.JWKSet.from_json(client.get(jwks_path).content)
    token = jwt.JWT(jwt=id_token, key=keys, algs=["RS256"], check_claims={"aud": audience, "iss": discovery["issuer"]})
    return json.loads(token.claims)
