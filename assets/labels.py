"""QR labels: each label's code encodes the asset number only (the stocktake scanning page reads
it back); drawn server-side as inline SVG with segno, nothing loaded at run time."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(text: str, scale: int = 3) -> str:
    # Error correction M survives a scuffed label; the number is short, so the code stays small.
    return mark_safe(segno.make(text, error="m", micro=False).svg_inline(scale=scale, border=2))


def labels(assets, scale: int = 3) -> list[dict]:
    return [{"asset": a, "svg": qr_svg(a.asset_number, scale)} for a in assets]
