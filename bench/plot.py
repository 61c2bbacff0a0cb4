"""The latency-under-load plot (`sitrep bench --plot`): p50, p95 and p99 against the offered load
as a share of one worker's capacity, with the 100 ms target, written as a PNG.

Drawn with the standard library (zlib and struct) and a 3x5 pixel font in bench/data: matplotlib
is not a dependency of the project, and would bring about ten packages into the hashed dev lock
for one chart of three lines.
"""

from __future__ import annotations

import itertools
import json
import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 560, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 50  # margins around the plot area
SCALE = 2  # font pixels per glyph pixel
WHITE, BLACK, GREY = (255, 255, 255), (0, 0, 0), (170, 170, 170)
SERIES = {"p50": (31, 119, 180), "p95": (255, 127, 14), "p99": (214, 39, 40)}
TARGET_MS = 100.0
STEPS = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 10**9)  # y grid, ms
GLYPHS: dict[str, list[str]] = json.loads(
    (Path(__file__).with_name("data") / "glyphs-3x5.json").read_text(encoding="utf-8")
)

Colour = tuple[int, int, int]


class Canvas:
    """An RGB raster with the few drawing operations a line chart needs."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = [[WHITE] * width for _ in range(height)]

    def dot(self, x: int, y: int, colour: Colour, size: int = 1) -> None:
        for dy in range(size):
            for dx in range(size):
                if 0 <= x + dx < self.width and 0 <= y + dy < self.height:
                    self.pixels[y + dy][x + dx] = colour

    def line(self, a: tuple[int, int], b: tuple[int, int], colour: Colour, dash: int = 0) -> None:
        """A 2-pixel line from a to b; with `dash`, drawn `dash` pixels on, `dash` off."""
        steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
        for i in range(steps + 1):
            if dash and (i // dash) % 2:
                continue
            x = round(a[0] + (b[0] - a[0]) * i / steps)
            y = round(a[1] + (b[1] - a[1]) * i / steps)
            self.dot(x, y, colour, 2)

    def text(self, x: int, y: int, text: str, colour: Colour = BLACK) -> None:
        for k, char in enumerate(text):
            for row, bits in enumerate(GLYPHS.get(char, GLYPHS[" "])):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        self.dot(x + (k * 4 + col) * SCALE, y + row * SCALE, colour, SCALE)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(c for pixel in row for c in pixel) for row in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def text_width(text: str) -> int:
    return len(text) * 4 * SCALE


def latency_png(points: dict[float, dict[str, float]]) -> bytes:
    """`points`: offered share of capacity (0-1) -> {"p50": ms, "p95": ms, "p99": ms}."""
    canvas = Canvas(WIDTH, HEIGHT)
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, TOP
    top_ms = max([TARGET_MS, *(v for p in points.values() for v in p.values())]) * 1.1
    step = next(s for s in STEPS if top_ms / s <= 6)

    def at(share: float, ms: float) -> tuple[int, int]:
        return round(x0 + share * (x1 - x0)), round(y0 - min(ms, top_ms) / top_ms * (y0 - y1))

    for ms in range(0, int(top_ms) + 1, step):
        _, y = at(0, ms)
        canvas.line((x0, y), (x1, y), (235, 235, 235))
        canvas.text(x0 - 8 - text_width(str(ms)), y - 5, str(ms))
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, _ = at(share, 0)
        label = f"{share * 100:.0f}%"
        canvas.text(x - text_width(label) // 2, y0 + 10, label)
    canvas.line((x0, y0), (x1, y0), BLACK)
    canvas.line((x0, y0), (x0, y1), BLACK)
    canvas.line(at(0, TARGET_MS), at(1, TARGET_MS), GREY, dash=6)
    canvas.text(x1 - text_width("target") - 4, at(1, TARGET_MS)[1] - 14, "target", GREY)
    canvas.text(x0 - 8 - text_width("ms"), y1 - 20, "ms")
    canvas.text(x0 + (x1 - x0) // 2 - text_width("offered load") // 2, y0 + 30, "offered load")
    shares = sorted(points)
    for k, (name, colour) in enumerate(SERIES.items()):
        where = [at(s, points[s][name]) for s in shares]
        for a, b in itertools.pairwise(where):
            canvas.line(a, b, colour)
        for x, y in where:
            canvas.dot(x - 3, y - 3, colour, 7)
        canvas.line((x0 + 20 + k * 90, 16), (x0 + 44 + k * 90, 16), colour)
        canvas.text(x0 + 50 + k * 90, 11, name, colour)
    return canvas.png()
