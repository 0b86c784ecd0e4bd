"""Charts rendered on the server (matplotlib, Agg, Noto Sans CJK from fonts-noto-cjk) as PNG,
for the page and the Word file alike."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK")
DPI = 150
COLOURS = ("#9aa5b1", "#c0392b")


@cache
def cjk_font() -> str:
    """The first CJK family installed (fonts-noto-cjk ships SC, TC, JP, KR in one collection)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), "DejaVu Sans")


def _figure(width: float = 6.4, height: float = 3.2) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.set_layout_engine("tight")
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def bars(labels: Sequence[str], values: Sequence[float], unit: str) -> bytes:
    """Horizontal bars, one per label, the value written at the end of each."""
    font = {"family": cjk_font()}
    fig = _figure(height=max(2.0, 0.45 * len(labels) + 1))
    ax = fig.subplots()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=COLOURS[1])
    ax.set_yticks(positions, labels, fontdict=font)
    for y, v in zip(positions, values, strict=True):
        ax.text(v, y, f" {v:g}{unit}", va="center", fontdict=font, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15)
    return _png(fig)


def comparison(labels: Sequence[str], before: Sequence[float], now: Sequence[float], names: tuple[str, str]) -> bytes:
    """Grouped bars: last year's same period beside this period's, per measure."""
    font = {"family": cjk_font()}
    fig = _figure()
    ax = fig.subplots()
    xs = list(range(len(labels)))
    width = 0.38
    for offset, values, name, colour in (
        (-width / 2, before, names[0], COLOURS[0]),
        (width / 2, now, names[1], COLOURS[1]),
    ):
        placed = [x + offset for x in xs]
        ax.bar(placed, values, width, label=name, color=colour)
        for x, v in zip(placed, values, strict=True):
            ax.text(x, v, f"{v:g}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(xs, labels, fontdict=font)
    ax.legend(prop=font_manager.FontProperties(family=cjk_font()), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
