"""Bar and line charts as inline SVG, drawn here so the report needs no script, font or image
from anywhere: one self-contained file that a browser and WeasyPrint draw the same way."""

from __future__ import annotations

import math
from html import escape

from shopguard.platform.fonts import Lang, font_stack
from shopguard.reporting.data import Chart, Unit
from shopguard.reporting.i18n import format_axis, text

PALETTE = ("#1f5f99", "#e07b39", "#2f9e7a", "#8e5ea2", "#c9a227", "#d1495b")
SVG_NS = "http://www.w3.org/2000/svg"

# Sized for two charts side by side on A4 (about 85 mm each) with readable labels.
WIDTH = 480
PLOT_HEIGHT = 170
TOP = 36  # room for the legend
RIGHT = 16
AXIS_FONT = 13
VALUE_FONT = 12
GRID = "#e3e7ec"
AXIS = "#9aa4b1"
INK = "#4a5563"


def text_width(label: str, size: float) -> float:
    """Rough rendered width: CJK and full-width characters are about one em, Latin about
    0.58 em. Good enough to decide on rotation and margins."""
    wide = sum(1 for ch in label if ord(ch) >= 0x2E80)
    return size * (wide + 0.58 * (len(label) - wide))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about `count` of them (1, 2, 2.5, 5 steps)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks: list[float] = []
    value = start
    while True:
        ticks.append(round(value, 10))
        if value >= high - step * 1e-9:
            break
        value += step
    return ticks


def _shorten(label: str, limit: float, size: float) -> str:
    if text_width(label, size) <= limit:
        return label
    while label and text_width(label + "…", size) > limit:
        label = label[:-1]
    return label + "…"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Frame:
    """The plot area and y scale shared by both kinds."""

    def __init__(self, values: list[float], unit: Unit, lang: Lang, bottom: float) -> None:
        low = min([0.0, *values])
        high = max([0.0, *values])
        if unit == "ratio" and low >= 0 and high <= 1:
            high = max(high, 0.01)
        self.ticks = nice_ticks(low, high)
        self.labels = [format_axis(t, unit, lang) for t in self.ticks]
        self.left = max(text_width(s, AXIS_FONT) for s in self.labels) + 14
        self.top = TOP
        self.bottom = bottom
        self.width = WIDTH - self.left - RIGHT
        self.height = float(PLOT_HEIGHT)
        self.lo, self.hi = self.ticks[0], self.ticks[-1]

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - (value - self.lo) / (self.hi - self.lo))

    @property
    def total_height(self) -> float:
        return self.top + self.height + self.bottom

    def grid(self) -> list[str]:
        out: list[str] = []
        right = self.left + self.width
        for tick, label in zip(self.ticks, self.labels, strict=True):
            y = self.y(tick)
            colour = AXIS if tick == 0 else GRID
            out.append(
                f'<line x1="{_num(self.left)}" y1="{_num(y)}" x2="{_num(right)}" '
                f'y2="{_num(y)}" stroke="{colour}" stroke-width="1"/>'
            )
            out.append(
                f'<text x="{_num(self.left - 8)}" y="{_num(y + 4)}" text-anchor="end" '
                f'font-size="{AXIS_FONT}" fill="{INK}">{escape(label)}</text>'
            )
        return out


def _legend(labels: list[str]) -> list[str]:
    out: list[str] = []
    x = 4.0
    for i, label in enumerate(labels):
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{_num(x)}" y="5" width="13" height="13" rx="2" fill="{colour}"/>')
        out.append(
            f'<text x="{_num(x + 18)}" y="16" font-size="{AXIS_FONT}" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        x += 18 + text_width(label, AXIS_FONT) + 18
    return out


def _svg(chart: Chart, lang: Lang, height: float, body: list[str]) -> str:
    title = chart["title_zh"] if lang == "zh" else chart["title_en"]
    # No spaces after the commas: WeasyPrint's SVG text splits the list on "," and strips quotes
    # without stripping spaces first, so "a, 'Noto Sans CJK SC'" would miss the CJK face.
    family = escape(font_stack(lang).replace(", ", ","))
    return "".join(
        [
            f'<svg xmlns="{SVG_NS}" class="chart-svg" role="img" viewBox="0 0 {WIDTH} '
            f'{_num(height)}" width="100%" preserveAspectRatio="xMidYMid meet" '
            f'font-family="{family}">',
            f"<title>{escape(title)}</title>",
            *body,
            "</svg>",
        ]
    )


def _series(chart: Chart, lang: Lang) -> tuple[list[str], list[str], list[dict[str, float]]]:
    """(x labels in first-seen order, series labels, one x→y map per series)."""
    xs: list[str] = []
    names: list[str] = []
    maps: list[dict[str, float]] = []
    for series in chart["series"]:
        names.append(series["label_zh"] if lang == "zh" else series["label_en"])
        points: dict[str, float] = {}
        for x, y in series["points"]:
            if x not in xs:
                xs.append(x)
            if math.isfinite(float(y)):
                points[x] = float(y)
        maps.append(points)
    return xs, names, maps


def _no_data(chart: Chart, lang: Lang) -> str:
    body = [
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="88" rx="6" fill="#f6f8fa" '
        f'stroke="{GRID}"/>',
        f'<text x="{WIDTH // 2}" y="50" text-anchor="middle" font-size="14" fill="{INK}">'
        f"{escape(text('chart_no_data', lang))}</text>",
    ]
    return _svg(chart, lang, 90, body)


def bar_chart(chart: Chart, lang: Lang) -> str:
    """Grouped vertical bars: one group per x label, one bar per series, values on top when
    they fit."""
    xs, names, maps = _series(chart, lang)
    values = [v for m in maps for v in m.values()]
    if not xs or not values:
        return _no_data(chart, lang)
    probe = _Frame(values, chart["unit"], lang, 0)
    group = probe.width / len(xs)
    widest = max(text_width(x, AXIS_FONT) for x in xs)
    rotate = widest > group - 6
    limit = 120.0
    bottom = 26.0 if not rotate else min(widest, limit) * 0.62 + 22
    frame = _Frame(values, chart["unit"], lang, bottom)
    group = frame.width / len(xs)
    bar = group * 0.72 / len(maps)
    body = [*_legend(names), *frame.grid()]
    zero = frame.y(max(frame.lo, min(0.0, frame.hi)))
    for g, x in enumerate(xs):
        left = frame.left + g * group + group * 0.14
        for s, points in enumerate(maps):
            if x not in points:
                continue
            value = points[x]
            top = frame.y(value)
            y, h = (top, zero - top) if value >= 0 else (zero, top - zero)
            bx = left + s * bar
            colour = PALETTE[s % len(PALETTE)]
            body.append(
                f'<rect x="{_num(bx + 1)}" y="{_num(y)}" width="{_num(max(bar - 2, 1))}" '
                f'height="{_num(max(h, 0.5))}" rx="2" fill="{colour}"/>'
            )
            label = format_axis(value, chart["unit"], lang)
            if text_width(label, VALUE_FONT) <= bar + 6:
                ty = y - 4 if value >= 0 else y + h + VALUE_FONT + 2
                body.append(
                    f'<text x="{_num(bx + bar / 2)}" y="{_num(ty)}" text-anchor="middle" '
                    f'font-size="{VALUE_FONT}" fill="{INK}">{escape(label)}</text>'
                )
        cx = frame.left + g * group + group / 2
        base = frame.top + frame.height + 16
        if rotate:
            shown = _shorten(x, limit, AXIS_FONT)
            body.append(
                f'<text x="{_num(cx)}" y="{_num(base - 4)}" text-anchor="end" '
                f'font-size="{AXIS_FONT}" fill="{INK}" '
                f'transform="rotate(-38 {_num(cx)} {_num(base - 4)})">{escape(shown)}</text>'
            )
        else:
            body.append(
                f'<text x="{_num(cx)}" y="{_num(base)}" text-anchor="middle" '
                f'font-size="{AXIS_FONT}" fill="{INK}">{escape(x)}</text>'
            )
    return _svg(chart, lang, frame.total_height, body)


def line_chart(chart: Chart, lang: Lang) -> str:
    """One line per series over evenly spaced x labels, thinned when they would collide."""
    xs, names, maps = _series(chart, lang)
    values = [v for m in maps for v in m.values()]
    if not xs or not values:
        return _no_data(chart, lang)
    frame = _Frame(values, chart["unit"], lang, 26)
    step_x = frame.width / max(len(xs) - 1, 1)
    inset = 10.0 if len(xs) > 1 else frame.width / 2

    def px(i: int) -> float:
        return frame.left + inset + i * (frame.width - 2 * inset) / max(len(xs) - 1, 1)

    body = [*_legend(names), *frame.grid()]
    widest = max(text_width(x, AXIS_FONT) for x in xs) + 8
    every = max(1, math.ceil(widest / max(step_x, 1)))
    base = frame.top + frame.height + 16
    for i, x in enumerate(xs):
        if i % every == 0 or (i == len(xs) - 1 and (len(xs) - 1) % every >= every / 2):
            body.append(
                f'<text x="{_num(px(i))}" y="{_num(base)}" text-anchor="middle" '
                f'font-size="{AXIS_FONT}" fill="{INK}">{escape(x)}</text>'
            )
    floor = frame.y(max(frame.lo, min(0.0, frame.hi)))
    labelled: list[float] = []
    for s, points in enumerate(maps):
        colour = PALETTE[s % len(PALETTE)]
        coords = [(px(i), frame.y(points[x])) for i, x in enumerate(xs) if x in points]
        if not coords:
            continue
        path = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in coords)
        if len(maps) == 1 and len(coords) > 1:
            area = f"{_num(coords[0][0])},{_num(floor)} {path} {_num(coords[-1][0])},{_num(floor)}"
            body.append(f'<polygon points="{area}" fill="{colour}" fill-opacity="0.10"/>')
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )
        if len(coords) <= 40:
            body.extend(
                f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="2.8" fill="#fff" '
                f'stroke="{colour}" stroke-width="1.8"/>'
                for cx, cy in coords
            )
        last_x = next(x for x in reversed(xs) if x in points)
        lx, ly = coords[-1]
        label = format_axis(points[last_x], chart["unit"], lang)
        # The last value, above its point, or below it when another series' label is there.
        ty = ly - 8
        if any(abs(ty - other) < VALUE_FONT + 6 for other in labelled):
            ty = ly + VALUE_FONT + 6
        if any(abs(ty - other) < VALUE_FONT + 6 for other in labelled):
            continue
        labelled.append(ty)
        body.append(
            f'<text x="{_num(min(lx, WIDTH - RIGHT - text_width(label, VALUE_FONT) / 2))}" '
            f'y="{_num(ty)}" text-anchor="middle" font-size="{VALUE_FONT}" '
            f'font-weight="bold" fill="{colour}">{escape(label)}</text>'
        )
    return _svg(chart, lang, frame.total_height, body)


def render_chart(chart: Chart, lang: Lang) -> str:
    """The chart as one `<svg>` element, by its kind."""
    if chart["kind"] == "bar":
        return bar_chart(chart, lang)
    if chart["kind"] == "line":
        return line_chart(chart, lang)
    raise ValueError(f"chart {chart['id']!r}: kind {chart['kind']!r} is not bar or line")
