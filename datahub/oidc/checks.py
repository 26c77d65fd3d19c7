"""Production refuses to start without the ID-token signing key (run by `manage.py check`, `migrate` and the
deploy's pre-start check): a key made at start-up would differ between the web processes and change at
every restart, so every system's sign-in would fail at random."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from jwcrypto import jwk


@register(Tags.security)
def signing_key_configured(app_configs, **kwargs):
    key = settings.OAUTH2_PROVIDER.get("OIDC_RSA_PRIVATE_KEY", "")
    if settings.DEBUG:
        return []
    if getattr(settings, "OIDC_SIGNING_KEY_EPHEMERAL", False) or not key:
        return [
            Error(
                "统一身份认证的签名密钥未配置。",
                hint="在环境中设置 OIDC_RSA_PRIVATE_KEY（PEM 内容）或 OIDC_RSA_PRIVATE_KEY_FILE（密钥文件路径），"
                "生成方法：openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out oidc-signing-key.pem",
                id="datahub.E101",
            )
        ]
    try:
        parsed = jwk.JWK.from_pem(key.encode())
    except Exception as exc:  # any parse failure is the same misconfiguration
        return [Error(f"统一身份认证的签名密钥无法读取：{exc}", hint="须为 PEM 格式的 RSA 私钥。", id="datahub.E102")]
    if parsed.get("kty") != "RSA" or not parsed.has_private:
        return [Error("统一身份认证的签名密钥须为 RSA 私钥。", id="datahub.E102")]
    return []
