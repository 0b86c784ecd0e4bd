"""QR codes: the drawn modules are exactly segno's symbol for the same data (nothing is decoded)."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image

from safeloop.core.qr import QUIET_ZONE, qr_code, qr_png, qr_svg

URL = "https://safeloop.yiyang.gov.cn/verify/Xl09_FL36nmfCHO5_eOrHs1TJr1FwYDQ/"
SVG = "{http://www.w3.org/2000/svg}"


def reference_matrix(data: str) -> list[list[bool]]:
    """segno's own symbol for the data, made independently of core.qr."""
    return [[bool(module) for module in row] for row in segno.make(data, error="m", micro=False).matrix]


def svg_modules(svg: str) -> list[list[bool]]:
    """Dark modules of a segno SVG path: rows of horizontal runs (M/m moves, h draws)."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == f"{SVG}svg"
    path = next(p for p in root.iter(f"{SVG}path") if "qrline" in p.get("class", ""))
    size = int(root.get("width")) // 4  # scale 4
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path.get("d")):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            end = values[0] if command == "H" else x + values[0]
            for column in range(int(x), int(end)):
                grid[int(y - 0.5)][column] = True
            x = end
    inner = grid[QUIET_ZONE : size - QUIET_ZONE]
    return [row[QUIET_ZONE : size - QUIET_ZONE] for row in inner]


def png_modules(png: bytes, scale: int) -> list[list[bool]]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    modules = image.width // scale - 2 * QUIET_ZONE
    gray = image.convert("L")
    centre = scale // 2
    return [
        [
            gray.getpixel(((QUIET_ZONE + c) * scale + centre, (QUIET_ZONE + r) * scale + centre)) < 128
            for c in range(modules)
        ]
        for r in range(modules)
    ]


def test_svg_draws_exactly_the_symbol_of_the_url():
    assert svg_modules(qr_svg(URL)) == reference_matrix(URL)


def test_svg_is_an_inline_element_with_its_title():
    svg = qr_svg(URL, title="扫码核验")
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == "扫码核验"  # noqa: S314


def test_png_draws_exactly_the_symbol_of_the_url():
    assert png_modules(qr_png(URL, scale=8), scale=8) == reference_matrix(URL)


def test_png_has_the_quiet_zone_around_the_symbol():
    image = Image.open(io.BytesIO(qr_png(URL, scale=8))).convert("L")
    side = len(reference_matrix(URL))
    assert image.size == ((side + 2 * QUIET_ZONE) * 8,) * 2
    border = [image.getpixel((x, y)) for x in range(image.width) for y in range(QUIET_ZONE * 8)]
    assert min(border) == 255


def test_other_data_gives_another_symbol():
    assert svg_modules(qr_svg(URL + "x")) != reference_matrix(URL)


def test_symbol_is_a_full_qr_code_at_level_m():
    code = qr_code(URL)
    assert (code.is_micro, code.error) == (False, "M")


def test_empty_data_is_refused():
    with pytest.raises(ValueError):
        qr_code("")


def test_fluid_svg_has_a_viewbox_instead_of_a_size_and_the_same_symbol():
    root = ET.fromstring(qr_svg(URL, fluid=True))  # noqa: S314
    side = (len(reference_matrix(URL)) + 2 * QUIET_ZONE) * 4
    assert root.get("width") is None and root.get("viewBox") == f"0 0 {side} {side}"
    fixed = qr_svg(URL)
    assert qr_svg(URL, fluid=True).split("<path", 1)[1] == fixed.split("<path", 1)[1]
