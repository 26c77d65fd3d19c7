"""A department's system signing its users in through 一网协同 (the example relying party).

Plain Python: the standard library's HTTP server, Authlib's OAuth2 client (authorization code + PKCE S256)
and joserfc to check the ID token's signature against the platform's published keys. Nothing here is
specific to this platform beyond its issuer address: any OpenID Connect client library works the same way.

    export OIDC_ISSUER=https://yiwang.example.gov.cn/o
    export OIDC_CLIENT_ID=...  OIDC_CLIENT_SECRET=...        # from 应用接入 → the system's page
    export RP_BASE=http://127.0.0.1:8400                     # its callback: $RP_BASE/callback (register it)
    python examples/oidc_rp/rp.py
"""

import html
import json
import os
import secrets
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

SCOPE = "openid profile org roles"


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def metadata(self) -> dict:
        return self._get(f"{self.issuer}/.well-known/openid-configuration")

    def _get(self, url: str) -> dict:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        return response.json()

    def session(self, **kwargs) -> OAuth2Session:
        session = OAuth2Session(
            self.client_id,
            self.client_secret,
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
            **kwargs,
        )
        return session


@dataclass
class Pending:
    """What the system keeps between sending the person away and their coming back (per browser session)."""

    state: str
    verifier: str
    nonce: str


def begin(provider: Provider) -> tuple[str, Pending]:
    """The address to send the person's browser to, and what to remember until the callback."""
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    url, state = provider.session().create_authorization_url(
        provider.metadata()["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    return url, Pending(state=state, verifier=verifier, nonce=nonce)


def finish(provider: Provider, callback_url: str, pending: Pending) -> tuple[dict, dict, dict]:
    """The callback: exchange the code (with the PKCE verifier), verify the ID token, read userinfo.

    Returns (ID-token claims, userinfo, the token response)."""
    meta = provider.metadata()
    session = provider.session(state=pending.state)
    token = session.fetch_token(
        meta["token_endpoint"], authorization_response=callback_url, code_verifier=pending.verifier
    )
    keys = KeySet.import_key_set(provider._get(meta["jwks_uri"]))
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": provider.client_id},
        nonce={"essential": True, "value": pending.nonce},
        exp={"essential": True},
    ).validate(id_token.claims)
    userinfo = session.get(meta["userinfo_endpoint"]).json()
    return id_token.claims, userinfo, token


def serve() -> None:  # pragma: no cover - run by hand
    base = os.environ.get("RP_BASE", "http://127.0.0.1:8400")
    provider = Provider(
        issuer=os.environ["OIDC_ISSUER"].rstrip("/"),
        client_id=os.environ["OIDC_CLIENT_ID"],
        client_secret=os.environ["OIDC_CLIENT_SECRET"],
        redirect_uri=f"{base}/callback",
    )
    pending: dict[str, Pending] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = urlsplit(self.path).path
            if path == "/login":
                url, p = begin(provider)
                pending[p.state] = p
                self.send_response(302)
                self.send_header("Location", url)
                self.end_headers()
            elif path == "/callback":
                state = dict(q.split("=", 1) for q in urlsplit(self.path).query.split("&") if "=" in q).get("state")
                claims, userinfo, _ = finish(provider, base + self.path, pending.pop(state))
                self._page(
                    f"<h1>已登录：{html.escape(claims.get('name', ''))}</h1><pre>{html.escape(json.dumps(userinfo, ensure_ascii=False, indent=2))}</pre>"
                )
            else:
                self._page('<a href="/login">通过一网协同登录</a>')

        def _page(self, body: str):
            data = f"<!doctype html><meta charset=utf-8>{body}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(data)

    HTTPServer(("127.0.0.1", int(urlsplit(base).port or 8400)), Handler).serve_forever()


if __name__ == "__main__":  # pragma: no cover
    serve()
