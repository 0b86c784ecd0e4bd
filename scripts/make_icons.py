"""Draw the app icons of the web app manifest (static/icons/), the favicon's shield and tick in
the brand colour: `python scripts/make_icons.py`. Our own drawing, no third-party artwork."""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (15, 76, 129)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, scaled down: smooth edges
    s = size * scale
    image = Image.new("RGB" if maskable else "RGBA", (s, s), BRAND if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, s - 1, s - 1), radius=s // 5, fill=BRAND)
    inset = 0.22 if maskable else 0.14  # a maskable icon keeps its drawing inside the safe circle
    unit = s * (1 - 2 * inset) / 22
    ox = oy = s * inset

    def p(x: float, y: float) -> tuple[float, float]:
        return (ox + x * unit, oy + y * unit)

    shield = [
        p(11, 0),
        p(20, 4),
        p(20, 10),
        p(19, 15),
        p(15.5, 19.5),
        p(11, 22),
        p(6.5, 19.5),
        p(3, 15),
        p(2, 10),
        p(2, 4),
    ]
    draw.polygon(shield, fill="white")
    draw.line([p(6.5, 11), p(9.8, 14.3), p(16, 8)], fill=BRAND, width=int(2.6 * unit), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    icon(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
