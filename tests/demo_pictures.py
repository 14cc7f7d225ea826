"""A photo's picture, reduced to 64 bits (an average hash of its 8 × 8
greyscale thumbnail): what a person checked the demo's captions against."""

import pyvips


def picture_hash(path) -> str:
    grey = pyvips.Image.thumbnail(str(path), 8, height=8, size="force").colourspace("b-w")[0]
    pixels = bytes(grey.cast("uchar").write_to_memory())
    mean = sum(pixels) / len(pixels)
    bits = "".join("1" if p > mean else "0" for p in pixels)
    return f"{int(bits, 2):016x}"


def distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")
