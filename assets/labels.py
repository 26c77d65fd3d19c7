"""QR labels: each label's code encodes a URL of the platform that opens the asset card
(``assets:card-by-number``), so any phone camera opens the card after sign-in, and the stocktake
scanning page reads the asset number back out of it. Drawn server-side as inline SVG with segno,
nothing loaded at run time."""

import segno
from django.urls import reverse
from django.utils.safestring import mark_safe


def qr_svg(text: str, scale: int = 3) -> str:
    # Error correction M survives a scuffed label.
    return mark_safe(segno.make(text, error="m", micro=False).svg_inline(scale=scale, border=2))


def card_url(request, asset_number: str) -> str:
    """The absolute URL a label encodes: the platform's own host, the card looked up by its number."""
    return request.build_absolute_uri(reverse("assets:card-by-number", args=[asset_number]))


def labels(request, assets, scale: int = 2) -> list[dict]:
    return [{"asset": a, "svg": qr_svg(card_url(request, a.asset_number), scale)} for a in assets]
