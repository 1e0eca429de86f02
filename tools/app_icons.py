"""Draw the app's home-screen icons once, from the logo (static/kithkin/icon.svg: a lower-case
serif "k" in the paper colour on the accent green). Run from the repository root:

    .venv/bin/python tools/app_icons.py

and commit the PNGs it writes under src/kithkin/web/static/kithkin/icons/. Pillow draws them
(no SVG renderer needed); the serif is DejaVu Serif when installed, else Pillow's own font.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ACCENT = (0x2F, 0x5D, 0x50)  # --accent in app.css, the logo's ground
PAPER = (0xF6, 0xF1, 0xE7)  # --accent-ink, the logo's letter
OUT = Path(__file__).resolve().parent.parent / "src/kithkin/web/static/kithkin/icons"
SERIFS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in SERIFS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    """The logo at ``size`` pixels. A maskable icon fills the square (the launcher cuts its
    own shape) and keeps the letter inside the safe zone, the centre 80%; the others have
    the logo's rounded corners (8/32 of the side) on a transparent ground, except Apple's
    touch icon, which iOS rounds itself and wants opaque."""
    scale = 4  # drawn large, scaled down: smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, side, side), fill=ACCENT)
    else:
        draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=side * 8 // 32, fill=ACCENT)
    letter = side * (0.5 if maskable else 0.66)
    font = _font(int(letter))
    draw.text((side / 2, side / 2), "k", font=font, fill=PAPER, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    made = {
        "icon-192.png": icon(192),
        "icon-512.png": icon(512),
        "maskable-512.png": icon(512, maskable=True),
        "maskable-192.png": icon(192, maskable=True),
        "apple-touch-icon-180.png": icon(180, rounded=False).convert("RGB"),
        "quick-log-96.png": icon(96),
    }
    for name, image in made.items():
        image.save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
