"""Bytes against quality for the rendition encoders, to choose their settings.

    python benchmarks/encoders.py CORPUS_DIR [--width 1024]

For each encoder setting: total bytes over the corpus at one width, the mean
SSIM of the decoded result against the uncompressed downscale, and encode
seconds (one thread). Pick, per format, the cheapest setting that reaches the
JPEG setting's quality with fewer bytes.
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("VIPS_CONCURRENCY", "1")
import pyvips  # noqa: E402

SETTINGS = {
    "jpeg": [dict(Q=q, optimize_coding=True) for q in (75, 80, 85)]
    + [dict(Q=80), dict(Q=80, optimize_coding=True, interlace=True)],
    "webp": [dict(Q=q, effort=e) for q in (75, 80, 82, 85) for e in (0, 1, 2, 4)],
    "avif": [dict(Q=q, effort=e, compression="av1") for q in (45, 55, 65) for e in (0, 2)],
}
SAVERS = {"jpeg": "jpegsave_buffer", "webp": "webpsave_buffer", "avif": "heifsave_buffer"}


def ssim(a: pyvips.Image, b: pyvips.Image) -> float:
    """Mean SSIM on luminance (Wang et al. 2004, 11-tap Gaussian, sigma 1.5)."""
    a, b = (im.colourspace("b-w")[0].cast("float") for im in (a, b))
    blur = lambda im: im.gaussblur(1.5)  # noqa: E731
    ma, mb = blur(a), blur(b)
    var_a, var_b, cov = blur(a * a) - ma * ma, blur(b * b) - mb * mb, blur(a * b) - ma * mb
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    index = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (var_a + var_b + c2))
    return index.avg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--formats", default="jpeg,webp,avif")
    args = parser.parse_args()
    images = [
        pyvips.Image.thumbnail(str(p), args.width, height=10**7, size="down").copy_memory()
        for p in sorted(args.corpus.glob("*.jpg"))
    ]
    print(f"{len(images)} photos at {args.width} px\n")
    print(f"{'format':6} {'settings':34} {'KiB':>8} {'SSIM':>7} {'secs':>7}")
    for fmt in args.formats.split(","):
        options = SETTINGS[fmt]
        for opts in options:
            size = seconds = score = 0.0
            for image in images:
                start = time.perf_counter()
                data = getattr(image, SAVERS[fmt])(keep="none", **opts)
                seconds += time.perf_counter() - start
                size += len(data)
                score += ssim(image, pyvips.Image.new_from_buffer(data, ""))
            label = ", ".join(f"{k}={v}" for k, v in opts.items() if k != "compression")
            print(f"{fmt:6} {label:34} {size / 1024:8.0f} {score / len(images):7.4f} {seconds:7.2f}")


if __name__ == "__main__":
    main()
