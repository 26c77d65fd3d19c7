"""Server-side SVG charts (nothing loaded from the internet): monthly bars with a 12-month
moving line, drawn from numbers only — labels are escaped."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def trend_svg(points: list[tuple[str, Decimal]], *, unit: str = "kgce", width: int = 760, height: int = 220) -> str:
    if not points:
        return ""
    pad_l, pad_b, pad_t = 56, 28, 12
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    top = max((float(v) for _, v in points), default=0) or 1.0
    step = plot_w / len(points)
    title = gettext("逐月能耗趋势（%(unit)s）") % {"unit": unit}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 8}" y2="{pad_t + plot_h}" stroke="#98a2b3"/>',
        f'<text x="4" y="{pad_t + 10}" font-size="11" fill="#475467">{top:,.0f}</text>',
        f'<text x="4" y="{pad_t + plot_h}" font-size="11" fill="#475467">0 {escape(unit)}</text>',
    ]
    line = []
    for i, (label, value) in enumerate(points):
        h = float(value) / top * plot_h
        x = pad_l + i * step
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{pad_t + plot_h - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="#2e90fa"><title>{escape(label)}：{float(value):,.1f} {escape(unit)}</title></rect>'
        )
        window = [float(v) for _, v in points[max(0, i - 11) : i + 1]]
        avg = sum(window) / len(window)
        line.append(f"{x + step / 2:.1f},{pad_t + plot_h - avg / top * plot_h:.1f}")
        if label.endswith("-01") or i == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="11" fill="#475467">{escape(label[:7])}</text>')
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#f79009" stroke-width="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
