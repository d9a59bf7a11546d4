"""Small helpers for writing SVG text by hand: escaping, number formats, text sizes, colours.

Labels come from scheme and roster files and may hold anything a user typed, so every piece of
text and every attribute value goes through `esc` / `attrs`. Numbers are written with fixed
decimals, so the same input always gives the same SVG string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from . import style

# A label is one string, or (Chinese, English): Chinese first, English beside or below it.
Label = str | tuple[str, str]

MAX_LABEL_SHARE = 0.34  # of a chart's width; longer row labels are cut with "…"
# Characters XML 1.0 forbids even when escaped; a stray control character must not break a report.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
# Average advance widths (in em) of Noto Sans CJK's proportional Latin glyphs, for layout.
_NARROW = {" ": 0.26, ".": 0.27, ",": 0.27, ":": 0.27, ";": 0.27, "i": 0.24, "l": 0.24}
_NARROW |= {"j": 0.24, "I": 0.27, "'": 0.22, "|": 0.24, "f": 0.33, "t": 0.35, "r": 0.35}
_NARROW |= {"(": 0.33, ")": 0.33, "-": 0.34, "/": 0.38, "&": 0.68, "m": 0.84, "w": 0.74}
_NARROW |= {"M": 0.86, "W": 0.93, "—": 1.0, "–": 0.5, "%": 0.86, "·": 0.27}


def clean(text: object) -> str:
    return _XML_INVALID.sub("", str(text))


def esc(text: object) -> str:
    """Text content, escaped for XML."""
    return escape(clean(text))


def attrs(**values: object) -> str:
    """` name="value"` pairs; `_` in names becomes `-` (a trailing one is dropped, for `class_`),
    floats get one decimal and None values are left out."""
    out = []
    for name, value in values.items():
        if value is None:
            continue
        shown = escape(clean(num(value) if isinstance(value, float) else value), _ATTR_ENTITIES)
        out.append(f' {name.rstrip("_").replace("_", "-")}="{shown}"')
    return "".join(out)


def num(value: float, decimals: int = 1) -> str:
    """A coordinate or value with fixed decimals; never "-0.0"."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def fmt_value(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else num(value, decimals)


def zh_en(label: Label) -> tuple[str, str]:
    if isinstance(label, tuple):
        return clean(label[0]), clean(label[1])
    return clean(label), ""


def text_width(text: str, size: float) -> float:
    """Estimated rendered width: CJK characters are 1 em wide, Latin ones about half."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in _NARROW:
            em += _NARROW[ch]
        else:
            em += 0.62 if ch.isupper() or ch.isdigit() else 0.54
    return em * size


def label_width(label: Label, size: float, en_size: float | None = None) -> float:
    """Width of a label written on one line, English after Chinese in a smaller size."""
    zh, en = zh_en(label)
    if not en:
        return text_width(zh, size)
    return text_width(zh, size) + text_width(" " + en, en_size or style.SMALL_SIZE)


def label_column(labels: Sequence[Label], width: float) -> tuple[float, float]:
    """Left edge of the plot and the width row labels may take (at most a third of the chart)."""
    widest = max([label_width(label, style.FONT_SIZE) for label in labels] + [20.0])
    label_w = min(widest, width * MAX_LABEL_SHARE)
    return label_w + 16, label_w


ROW_LABEL_MIN = 7.0  # the smallest size a row label shrinks to


def row_label(x: float, mid: float, label: Label, max_w: float, weight: str | None = None) -> str:
    """A right-aligned row label centred on `mid`, never losing a word: on one line when it
    fits in `max_w`, else Chinese above English, each made smaller until it fits."""
    zh, en = zh_en(label)
    if label_width(label, style.FONT_SIZE) <= max_w:
        shown: Label = (zh, en) if en else zh
        return inline_label(
            x, mid + 4.3, shown, style.FONT_SIZE, text_anchor="end", font_weight=weight
        )
    if not en:
        size = fitted(zh, max_w, style.FONT_SIZE)
        return text(x, mid + size * 0.36, zh, size, text_anchor="end", font_weight=weight)
    zh_size = fitted(zh, max_w, style.FONT_SIZE - 1)
    en_size = fitted(en, max_w, style.SMALL_SIZE - 1)
    return text(x, mid - 1.0, zh, zh_size, text_anchor="end", font_weight=weight) + text(
        x, mid + en_size + 0.5, en, en_size, text_anchor="end", fill=style.MUTED
    )


def fitted(content: str, width: float, size: float) -> float:
    """`size`, or smaller (down to ROW_LABEL_MIN) so that `content` fits in `width`."""
    need = text_width(content, size)
    return size if need <= width else max(ROW_LABEL_MIN, size * width / need)


def text(x: float, y: float, content: str, size: float = style.FONT_SIZE, **extra: object) -> str:
    """One `<text>` element; `extra` are attributes (text_anchor="end", fill=...)."""
    return f"<text{attrs(x=x, y=y, font_size=size, **extra)}>{esc(content)}</text>"


def inline_label(
    x: float, y: float, label: Label, size: float = style.FONT_SIZE, **extra: object
) -> str:
    """A label on one line: Chinese, then English smaller and muted."""
    zh, en = zh_en(label)
    if not en:
        return text(x, y, zh, size, **extra)
    en_size = min(style.SMALL_SIZE, size)
    return (
        f"<text{attrs(x=x, y=y, font_size=size, **extra)}>{esc(zh)}"
        f"<tspan{attrs(font_size=en_size, fill=style.MUTED, font_weight='normal')}>"
        f" {esc(en)}</tspan></text>"
    )


def stacked_label(
    x: float,
    y: float,
    label: Label,
    width: float,
    size: float = style.FONT_SIZE,
    **extra: object,
) -> tuple[str, float]:
    """A label with Chinese on the first line and English wrapped to `width` below it.

    `y` is the first baseline; returns the SVG and the height taken.
    """
    zh, en = zh_en(label)
    lines = [(line, size, style.TEXT) for line in wrap(zh, width, size)]
    if en:
        en_size = style.SMALL_SIZE
        lines += [(line, en_size, style.MUTED) for line in wrap(en, width, en_size)]
    out, at = [], y
    for i, (line, line_size, fill) in enumerate(lines):
        if i:
            at += line_size * 1.2
        out.append(text(x, at, line, line_size, fill=fill, **extra))
    return "".join(out), at - y + size


def wrap(content: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than `width`: at spaces, or anywhere between CJK glyphs."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"\S+\s*|\s+", content):
        pieces = [token] if text_width(token.strip(), size) <= width else list(token)
        for piece in pieces:
            if line and text_width((line + piece).rstrip(), size) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def document(width: float, height: float, body: Sequence[str], label: str = "") -> str:
    """The root element: size in CSS pixels, a matching viewBox, CJK fonts, default colours."""
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        width=num(width),
        height=num(height),
        viewBox=f"0 0 {num(width)} {num(height)}",
        font_family=style.FONT_FAMILY,
        font_size=num(style.FONT_SIZE),
        fill=style.TEXT,
        role="img",
        aria_label=label or None,
    )
    return f"<svg{head}>" + "".join(body) + "</svg>"


def marker(shape: str, x: float, y: float, r: float, **extra: object) -> str:
    """A marker of radius about `r` centred on (x, y): circle, square, triangle or diamond."""
    if shape == "circle":
        return f"<circle{attrs(cx=x, cy=y, r=r, **extra)}/>"
    if shape == "square":
        s = r * 0.9
        return f"<rect{attrs(x=x - s, y=y - s, width=2 * s, height=2 * s, **extra)}/>"
    if shape == "triangle":
        pts = [(x, y - 1.25 * r), (x + 1.1 * r, y + 0.75 * r), (x - 1.1 * r, y + 0.75 * r)]
    elif shape == "diamond":
        pts = [(x, y - 1.3 * r), (x + 1.1 * r, y), (x, y + 1.3 * r), (x - 1.1 * r, y)]
    else:
        raise ValueError(f"unknown marker shape {shape!r}")
    points = " ".join(f"{num(px)},{num(py)}" for px, py in pts)
    return f"<polygon{attrs(points=points, **extra)}/>"


def flowed_legend(
    names: Sequence[Label],
    x: float,
    y: float,
    width: float,
    swatch: Callable[[int, float, float], str],
    swatch_w: float,
) -> tuple[str, float]:
    """Legend entries flowed left to right, wrapping to new rows: `swatch(k, x, y)` draws the
    k-th entry's key `swatch_w` wide at (x, y), its name follows; returns the SVG and height."""
    out = []
    col, row_y, row_h = x, y, style.FONT_SIZE + 8
    for k, name in enumerate(names):
        entry_w = swatch_w + label_width(name, style.FONT_SIZE) + 18
        if col > x and col + entry_w > x + width:
            col, row_y = x, row_y + row_h
        out.append(swatch(k, col, row_y))
        out.append(inline_label(col + swatch_w, row_y + 4, name))
        col += entry_w
    return "".join(out), row_y - y + row_h


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def interpolate(stops: Sequence[str], t: float) -> str:
    """The colour at `t` in 0..1 along evenly spaced stops (linear in sRGB)."""
    t = max(0.0, min(1.0, t))
    x = t * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    f = x - i
    a, b = _rgb(stops[i]), _rgb(stops[i + 1])
    return "#" + "".join(f"{round(a[k] + (b[k] - a[k]) * f):02x}" for k in range(3))


def luminance(colour: str) -> float:
    """WCAG relative luminance."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(fill: str) -> str:
    """Dark or white text, whichever contrasts more with `fill`."""
    lum = luminance(fill)
    dark = (lum + 0.05) / (luminance(style.TEXT) + 0.05)
    light = 1.05 / (lum + 0.05)
    return style.TEXT if dark >= light else style.WHITE


def heat_colour(value: float, low: float = 0.0, high: float = 100.0) -> str:
    return interpolate(style.HEAT_STOPS, (value - low) / (high - low) if high > low else 1.0)
