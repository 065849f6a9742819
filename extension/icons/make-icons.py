#!/usr/bin/env python3
"""Draw Liftoff's toolbar icons (16/32/48/128 px PNG) with the standard library only.

The shape is defined in a 0..1 unit square and rasterized with 4x4 supersampling, so every
size is drawn from the same geometry (no blurry downscaling of one big bitmap).
Run: python3 extension/icons/make-icons.py   (rewrites icon-<size>.png next to this file)
"""
import os
import struct
import zlib

TOP = (99, 102, 241)      # indigo-500
BOTTOM = (124, 58, 237)   # violet-600
WHITE = (255, 255, 255)
FLAME = (251, 191, 36)    # amber-400
SAMPLES = 4


def inside_rounded_square(x, y, radius=0.22):
    # Distance test against the four corner circles; the rest of the square is inside.
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_triangle(x, y, a, b, c):
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])
    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    has_neg = d1 < 0 or d2 < 0 or d3 < 0
    has_pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (has_neg and has_pos)


def shade(x, y):
    """Colour at a point of the unit square, or None when transparent."""
    if not inside_rounded_square(x, y):
        return None
    # Upward arrow: a head and a shaft, white on the gradient.
    if inside_triangle(x, y, (0.5, 0.16), (0.78, 0.48), (0.22, 0.48)):
        return WHITE
    if 0.41 <= x <= 0.59 and 0.47 <= y <= 0.70:
        return WHITE
    # Exhaust under the shaft: the "lift-off".
    if inside_triangle(x, y, (0.36, 0.75), (0.64, 0.75), (0.5, 0.9)):
        return FLAME
    t = y
    return tuple(round(TOP[i] * (1 - t) + BOTTOM[i] * t) for i in range(3))


def render(size):
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 (None) for each scanline
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = shade((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
                    if colour is not None:
                        acc[0] += colour[0]
                        acc[1] += colour[1]
                        acc[2] += colour[2]
                        acc[3] += 1
            n = acc[3]
            if n == 0:
                row += bytes(4)
            else:
                row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, round(255 * n / SAMPLES ** 2)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for size in (16, 32, 48, 128):
        with open(os.path.join(here, f"icon-{size}.png"), "wb") as f:
            f.write(render(size))
