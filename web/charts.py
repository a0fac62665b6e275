"""Small inline SVG charts of a unit's months: drawn on the server, no script needed."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 220, 36
SERIES_COLORS = ("#2f5d8a", "#e08a00")  # the report's bar colour, then an accent


def rate_chart(months: list[dict], series: dict[str, str]) -> Markup:
    """Lines of percentages (0-100) by month 1..12; `series` maps row key -> legend label."""
    step = (WIDTH - 2 * PAD) / 11
    def x(month: int) -> float:
        return PAD + (month - 1) * step

    def y(rate) -> float:
        return HEIGHT - PAD - float(rate) * (HEIGHT - 2 * PAD) / 100

    parts = [(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="Tỷ lệ theo tháng" xmlns="http://www.w3.org/2000/svg">')]
    for tick in (0, 50, 100):
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(tick)}" y2="{y(tick)}" '
                     f'stroke="#ddd"/><text x="4" y="{y(tick) + 4}" font-size="11">{tick}%</text>')
    for month in range(1, 13):
        parts.append(f'<text x="{x(month) - 4}" y="{HEIGHT - 12}" font-size="11">{month}</text>')
    for (key, label), color in zip(series.items(), SERIES_COLORS, strict=False):
        points = [(x(r["period_month"]), y(r[key])) for r in months
                  if r.get("period_month") and r.get(key) is not None]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
            parts.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>'
                         for px, py in points)
        index = list(series).index(key)
        parts.append(f'<rect x="{PAD + index * 180}" y="6" width="12" height="12" fill="{color}"/>'
                     f'<text x="{PAD + index * 180 + 16}" y="16" font-size="12">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
