"""Benchmark: re-encoding photos, and what PHOTO adds to reading a vCard file.

    .venv/bin/python bench/photos.py [--runs 3] [--cards 500]

CPU time (time.process_time), median of --runs, all in one run:

- reencode: a 12-megapixel phone JPEG (4032 x 3024, EXIF with GPS), a 1-megapixel PNG,
  and the refusal of a decompression bomb (a PNG claiming 900 million pixels) and of a
  non-image, each beside the others;
- vcard: --cards cards of 3.0 with an inline 640 x 480 JPEG each, beside the same cards
  without PHOTO (the ratio is what photos cost an import's parse).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image
from tests.photos.images import bomb, jpeg_with_gps

from kithkin import photos
from kithkin.importers.vcard import parse_vcards


def cpu(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def refused(data: bytes) -> Callable[[], None]:
    def run() -> None:
        try:
            photos.reencode(data)
        except photos.PhotoError:
            return
        raise AssertionError("not refused")

    return run


def cards(count: int, photo: bytes | None) -> bytes:
    line = ""
    if photo is not None:
        data = photos.to_base64(photo)
        line = "PHOTO;ENCODING=b;TYPE=JPEG:" + "\r\n ".join(
            data[i : i + 74] for i in range(0, len(data), 74)
        )
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEMAIL:p{i}@example.org\r\n"
        + (line + "\r\n" if line else "")
        + "END:VCARD\r\n"
        for i in range(count)
    )
    return text.encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()
    phone = jpeg_with_gps(size=(4032, 3024))
    png = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 120, 200)).save(png, format="PNG")
    print(
        f"12 MP JPEG ({len(phone) // 1024} KB): {cpu(lambda: photos.reencode(phone), args.runs) * 1000:.0f} ms"
    )
    print(f"1 MP PNG: {cpu(lambda: photos.reencode(png.getvalue()), args.runs) * 1000:.0f} ms")
    print(f"bomb refused: {cpu(refused(bomb()), args.runs) * 1000:.1f} ms")
    print(f"non-image refused: {cpu(refused(b'hello' * 1000), args.runs) * 1000:.1f} ms")
    small = jpeg_with_gps(size=(640, 480))
    with_photos, without = cards(args.cards, small), cards(args.cards, None)
    timed_with = cpu(lambda: parse_vcards(with_photos, "with.vcf"), args.runs)
    timed_without = cpu(lambda: parse_vcards(without, "without.vcf"), args.runs)
    print(
        f"{args.cards} cards: {timed_without * 1000:.0f} ms without PHOTO, "
        f"{timed_with * 1000:.0f} ms with ({timed_with / args.cards * 1000:.1f} ms a card, "
        f"x{timed_with / timed_without:.0f})"
    )


if __name__ == "__main__":
    main()
