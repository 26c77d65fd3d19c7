"""Server-side SVG of fences and tracks (no map tiles: the platform runs on an intranet).

Longitude is scaled by cos(latitude) so a fence keeps its shape; y grows southwards in SVG.
"""

import math
from collections.abc import Iterable, Sequence

WIDTH, HEIGHT, MARGIN = 640, 420, 16


def drawing(polygons: Iterable[Sequence[Sequence[float]]] = (), tracks: Iterable[Sequence[Sequence[float]]] = ()):
    """Polygons and tracks as lists of (lon, lat) → SVG point strings in one shared frame, or None if empty."""
    polygons = [list(p) for p in polygons if p]
    tracks = [list(t) for t in tracks if t]
    every = [pt for shape in (*polygons, *tracks) for pt in shape]
    if not every:
        return None
    lons = [p[0] for p in every]
    lats = [p[1] for p in every]
    mid = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * mid, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)

    def xy(lon, lat):
        return f"{MARGIN + (lon - min(lons)) * mid * scale:.1f},{HEIGHT - MARGIN - (lat - min(lats)) * scale:.1f}"

    def points(shape):
        return " ".join(xy(lon, lat) for lon, lat in shape)

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "polygons": [points(p) for p in polygons],
        "tracks": [points(t) for t in tracks],
        "starts": [xy(*t[0]).split(",") for t in tracks],
    }
