#!/usr/bin/env python3
"""Draws the ChatQueue icon and writes it as PNGs and as a Windows .ico.

The icon is a speech bubble holding three queued lines on a rounded square. It is drawn
from signed distance functions with supersampling, so every size is rendered from the
shapes themselves rather than scaled from a bitmap. Only the standard library is used;
the outputs are committed, so the build never runs this script.

Usage: make-icons.py [output-directory]   (default: the directory of this script)
"""

import math
import os
import struct
import sys
import zlib

SIZES = (16, 24, 32, 48, 64, 128, 256)
LINUX_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SAMPLES = 4  # per axis; 16 samples per pixel smooth the edges

TOP = (0x2B, 0x6C, 0xD8)
BOTTOM = (0x16, 0x3F, 0x8F)
BUBBLE = (0xFF, 0xFF, 0xFF)
LINES = ((0x2B, 0x6C, 0xD8), (0x4F, 0x8B, 0xE8), (0x8F, 0xB5, 0xF0))


def rounded_box(px, py, cx, cy, half_w, half_h, radius):
    """Signed distance from a point to a rounded rectangle (negative inside)."""
    qx = abs(px - cx) - half_w + radius
    qy = abs(py - cy) - half_h + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def triangle(px, py, a, b, c):
    """True when the point lies inside the triangle a-b-c."""
    def side(p, q, r):
        return (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1])

    d1 = side((px, py), a, b)
    d2 = side((px, py), b, c)
    d3 = side((px, py), c, a)
    negative = d1 < 0 or d2 < 0 or d3 < 0
    positive = d1 > 0 or d2 > 0 or d3 > 0
    return not (negative and positive)


def shade(u, v):
    """Colour and coverage of the icon at (u, v) in the unit square, or None if empty."""
    if rounded_box(u, v, 0.5, 0.5, 0.46, 0.46, 0.12) > 0.0:
        return None

    # The bubble: a rounded body with a tail at its lower left.
    in_body = rounded_box(u, v, 0.5, 0.45, 0.32, 0.24, 0.09) <= 0.0
    in_tail = triangle(u, v, (0.27, 0.62), (0.42, 0.68), (0.22, 0.82))
    if not (in_body or in_tail):
        mix = (v - 0.04) / 0.92
        return tuple(round(t + (b - t) * mix) for t, b in zip(TOP, BOTTOM))

    # Three queued lines inside the bubble, each shorter than the one above.
    for index, (length, colour) in enumerate(zip((0.40, 0.30, 0.20), LINES)):
        centre_y = 0.34 + index * 0.11
        left = 0.30
        if rounded_box(u, v, left + length / 2, centre_y, length / 2, 0.035, 0.035) <= 0.0:
            return colour
    return BUBBLE


def render(size):
    """Returns size*size RGBA pixels, rows top to bottom."""
    rows = []
    step = 1.0 / (size * SAMPLES)
    for y in range(size):
        row = bytearray()
        for x in range(size):
            red = green = blue = covered = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    u = (x * SAMPLES + sx + 0.5) * step
                    v = (y * SAMPLES + sy + 0.5) * step
                    colour = shade(u, v)
                    if colour is None:
                        continue
                    red += colour[0]
                    green += colour[1]
                    blue += colour[2]
                    covered += 1
            if covered == 0:
                row += bytes(4)
                continue
            row += bytes((red // covered, green // covered, blue // covered,
                          round(255 * covered / SAMPLES ** 2)))
        rows.append(bytes(row))
    return rows


def png_bytes(size, rows):
    """Encodes RGBA rows as a PNG file."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico_bytes(images):
    """Packs (size, png) pairs into an .ico; Windows Vista and later read PNG entries."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    payload = b""
    for size, png in images:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)

    pngs = {}
    for size in sorted(set(SIZES) | set(LINUX_SIZES)):
        pngs[size] = png_bytes(size, render(size))
        with open(os.path.join(out_dir, f"chatqueue-{size}.png"), "wb") as file:
            file.write(pngs[size])

    with open(os.path.join(out_dir, "chatqueue.ico"), "wb") as file:
        file.write(ico_bytes([(size, pngs[size]) for size in SIZES]))


if __name__ == "__main__":
    main()
