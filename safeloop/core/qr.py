"""QR codes for links people scan with a phone: document verification, the enterprise poster
(一企一码), inspection check-ins, public report forms.

One symbol per URL (`qr_code`), drawn as SVG for pages and as PNG where SVG is not welcome
(Word). Error correction level M (15 %) survives a fold, a smudge or a seal's edge on paper;
the quiet zone is the four modules ISO/IEC 18004 asks for. Never a Micro QR: not every phone
reads them.
"""

from __future__ import annotations

import io

import segno

QUIET_ZONE = 4  # modules of white border, ISO/IEC 18004
ERROR_LEVEL = "m"


def qr_code(data: str) -> segno.QRCode:
    """The symbol for `data`; `.matrix` holds its modules (rows of 0/1, without the quiet zone)."""
    if not data:
        raise ValueError("a QR code needs data")
    return segno.make(data, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_svg(data: str, *, scale: int = 4, title: str = "", fluid: bool = False) -> str:
    """An inline SVG element (no XML declaration), `scale` CSS pixels a module, black on white.
    `fluid`: no width and height but a viewBox, so the symbol fills whatever box the page's CSS
    gives it (a poster's 12 cm)."""
    out = io.BytesIO()
    qr_code(data).save(
        out,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=title or None,
        light="#fff",
        omitsize=fluid,
    )
    return out.getvalue().decode()


def qr_png(data: str, *, scale: int = 8) -> bytes:
    """A black-and-white PNG, `scale` pixels a module (8 px at 25 mm is about 300 dpi)."""
    out = io.BytesIO()
    qr_code(data).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()
