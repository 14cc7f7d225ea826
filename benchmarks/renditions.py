"""How fast picdesk turns photos into renditions, against a floor and baselines.

    python benchmarks/renditions.py CORPUS_DIR [--runs 3] [--quick]

Everything is measured in this one run on this machine; each method runs in a
process of its own so its peak RSS is its own. Printed: per photo and in total,
the median seconds over --runs of

  floor        libjpeg-turbo `djpeg` full decode to /dev/null (one core)
  publishable  picdesk's publishable set (renditions.PUBLISHABLE_FORMATS: the
               JPEGs) at the page's widths (one decode, cascade, encodes on
               PICDESK_ENCODE_THREADS threads)
  signed       publishable, each rendition then carrying Content Credentials
               signed by the publisher (photos.signing; a test certificate)
  publ. 1cpu   the same on one thread (VIPS_CONCURRENCY=1, 1 encode thread)
  full         publishable, then the WebP and AVIF set as the background task
               makes it
  per-size     one shrink-on-load per width and format (the straightforward way)
  pillow       the usual Django-project way: open, draft, thumbnail, save per size
               (both baselines make the same set as "publishable")

then throughput in output images per second of sigal building a gallery and of
`picdesk import` end to end (metadata, originals, publishable renditions), both
on the same number of processes; the peak RSS of a 100 MP import; and the
resident memory a long-lived worker keeps, with and without the fixes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
WIDTHS = [320, 640, 1024, 1600, 2048]


# -- the methods, each run in a child process (--child NAME) ------------------


def _planned(width: int) -> list[int]:
    from picdesk.photos.spec import planned_widths

    return planned_widths(width)


def method_floor(path: Path, data: bytes) -> None:
    subprocess.run(["djpeg", "-outfile", os.devnull, str(path)], check=True)


def _rights() -> dict[str, bytes]:
    from picdesk.photos.renditions import rights_metadata

    return rights_metadata("AGENCY", "Jane Doe", "© Agency 2026")


def method_publishable(path: Path, data: bytes) -> int:
    from picdesk.photos import imaging
    from picdesk.photos.spec import PUBLISHABLE_FORMATS

    info = imaging.probe(data, 10**9)
    return len(imaging.render_set(data, _planned(info.width), list(PUBLISHABLE_FORMATS), _rights()).images)


def method_signed(path: Path, data: bytes) -> int:
    """The publishable set, each rendition then signed by the publisher with
    the original as its ingredient (photos.signing, as ``store_renditions``
    does when PICDESK_C2PA_CERT and PICDESK_C2PA_KEY are set)."""
    from picdesk.photos import imaging, signing
    from picdesk.photos.models import Photo
    from picdesk.photos.spec import PUBLISHABLE_FORMATS

    info = imaging.probe(data, 10**9)
    rendered = imaging.render_set(data, _planned(info.width), list(PUBLISHABLE_FORMATS), _rights())
    photo = Photo(width=info.width, height=info.height, mime_type=info.mime_type, original_name=path.name,
                  credit="AGENCY", byline="Jane Doe", copyright_notice="© Agency 2026")
    signer = signing.PhotoSigner(photo, open_original=lambda: open(path, "rb"))
    return len([signer.sign(encoded) for encoded in rendered.images])


def method_full(path: Path, data: bytes) -> int:
    """The publishable set, then the background set from a second decode, as
    picdesk makes them."""
    from picdesk.photos import imaging
    from picdesk.photos.spec import BACKGROUND_FORMATS, PUBLISHABLE_FORMATS

    widths = _planned(imaging.probe(data, 10**9).width)
    made = imaging.render_set(data, widths, list(PUBLISHABLE_FORMATS), _rights()).images
    return len(made) + len(imaging.render_set(data, widths, list(BACKGROUND_FORMATS), _rights()).images)


def method_per_size(path: Path, data: bytes) -> int:
    import pyvips

    from picdesk.photos.imaging import ENCODERS
    from picdesk.photos.spec import PUBLISHABLE_FORMATS

    count = 0
    for width in _planned(pyvips.Image.new_from_buffer(data, "").width):
        for fmt in PUBLISHABLE_FORMATS:
            image = pyvips.Image.thumbnail_buffer(data, width, height=10**7, size="down")
            ENCODERS[fmt](image)
            count += 1
    return count


def method_pillow(path: Path, data: bytes) -> int:
    import io

    from PIL import Image, ImageOps

    from picdesk.photos.spec import PUBLISHABLE_FORMATS

    # The same set as picdesk's publishable one, in Pillow's terms.
    pillow = {"jpeg": ("JPEG", dict(quality=80, optimize=True)), "webp": ("WEBP", dict(quality=82, method=2))}
    count = 0
    for width in _planned(Image.open(path).width):
        for fmt, options in (pillow[name] for name in PUBLISHABLE_FORMATS):
            with Image.open(path) as image:
                image.draft("RGB", (width, width * 4))
                image = ImageOps.exif_transpose(image.convert("RGB"))
                image.thumbnail((width, 10**6), Image.Resampling.LANCZOS)
                image.save(io.BytesIO(), fmt, **options)
            count += 1
    return count


METHODS = {
    "floor": method_floor,
    "publishable": method_publishable,
    "publ. 1cpu": method_publishable,
    "signed": method_signed,
    "full": method_full,
    "per-size": method_per_size,
    "pillow": method_pillow,
}
ONE_CPU = {"VIPS_CONCURRENCY": "1", "PICDESK_ENCODE_THREADS": "1"}


def _publisher_certificate(folder: Path) -> None:
    """A publisher's signing chain of the tests' own making, for "signed"."""
    sys.path.insert(0, str(ROOT))
    from tests.credentials import make_pki

    pki = make_pki(folder / "publisher-pki", "Bench Publisher")
    os.environ.update(PICDESK_C2PA_CERT=str(pki.chain), PICDESK_C2PA_KEY=str(pki.key))


def run_child(name: str, corpus: Path, runs: int) -> None:
    """In the child: time ``name`` on every photo, print JSON."""
    import django

    django.setup()
    files = sorted(corpus.glob("*.jpg"))
    times: dict[str, list[float]] = {f.name: [] for f in files}
    for _ in range(runs):
        for f in files:
            data = f.read_bytes()
            start = time.perf_counter()
            METHODS[name](f, data)
            times[f.name].append(time.perf_counter() - start)
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(json.dumps({"times": times, "peak_rss_mb": rss / 1024}))


def measure(name: str, corpus: Path, runs: int) -> dict:
    env = {**os.environ, **(ONE_CPU if name.endswith("1cpu") else {})}
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", name, str(corpus), "--runs", str(runs)],
        capture_output=True, text=True, env=env, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- throughput: sigal and picdesk import, whole processes ---------------------


def timed(command: list[str], env=None) -> tuple[float, float]:
    """Wall seconds, and the peak RSS (MB) of the largest process in ``command``'s
    tree, measured by a fresh child so no earlier measurement leaks in."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(HERE), "--rss-of", json.dumps(command), "."],
        check=True, env=env, capture_output=True, text=True,
    )
    return time.perf_counter() - start, float(out.stdout.strip().splitlines()[-1])


def run_rss_of(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def sigal_throughput(corpus: Path, processes: int, work: Path) -> tuple[float, int, float]:
    src, out = work / "sigal-src", work / "sigal-out"
    src.mkdir()
    for f in sorted(corpus.glob("*.jpg")):
        (src / f.name).symlink_to(f)
    conf = work / "sigal.conf.py"
    conf.write_text("source = ''\ndestination = ''\nuse_orig = False\n")
    sigal = Path(sys.executable).with_name("sigal")
    seconds, rss = timed([str(sigal), "build", "-q", "-c", str(conf), "-n", str(processes), str(src), str(out)])
    images = sum(1 for p in out.rglob("*.jpg"))
    return seconds, images, rss


def import_throughput(
    corpus: Path, processes: int, work: Path, name: str = "home", one_cpu: bool = False
) -> tuple[float, int, float]:
    home = work / name
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PICDESK_WORKERS"] = str(processes)
    if one_cpu:
        env.update(ONE_CPU)
    picdesk = [sys.executable, "-m", "picdesk", "--home", str(home)]
    subprocess.run([*picdesk, "manage", "migrate", "-v0"], check=True, env=env)
    seconds, rss = timed([*picdesk, "import", str(corpus), "--slideshow", "Bench"], env=env)
    images = sum(1 for p in (home / "media" / "renditions").rglob("*") if p.is_file())
    return seconds, images, rss


def big_photo(corpus: Path, work: Path) -> Path:
    import pyvips

    source = pyvips.Image.new_from_file(str(corpus / "lomiri20__Kleiber_by_Lukas_Baubkus.jpg"))
    scale = (100e6 / (source.width * source.height)) ** 0.5
    big = work / "big" / "100mp.jpg"
    big.parent.mkdir()
    source.resize(scale).jpegsave(str(big), Q=85)
    return big


def breakdown(corpus: Path) -> dict[str, float]:
    """Seconds per stage of the publishable set, one thread, over the corpus."""
    from picdesk.photos import imaging

    stages = dict.fromkeys(["decode", "cascade", "jpeg", "webp"], 0.0)

    def clock(stage, work):
        start = time.perf_counter()
        result = work()
        stages[stage] += time.perf_counter() - start
        return result

    for f in sorted(corpus.glob("*.jpg")):
        data = f.read_bytes()
        widths = _planned(imaging.probe(data, 10**9).width)
        image = clock("decode", lambda: imaging.decode_for_width(data, max(widths)))
        sizes = clock("cascade", lambda: imaging.cascade(image, widths))
        for fmt in ("jpeg", "webp"):
            clock(fmt, lambda: imaging.encode(sizes, [fmt]))
    return stages


# -- long-lived worker memory --------------------------------------------------

WORKER_VARIANTS = {
    "default": {},
    "MALLOC_ARENA_MAX=2": {"MALLOC_ARENA_MAX": "2"},
    "vips cache off": {"PICDESK_BENCH_NO_CACHE": "1"},
    "all three (as shipped)": {"MALLOC_ARENA_MAX": "2", "PICDESK_BENCH_NO_CACHE": "1", "PICDESK_BENCH_TRIM": "1"},
}


def run_worker_child(corpus: Path, rounds: int) -> None:
    import django

    django.setup()
    from picdesk.core import memory
    from picdesk.photos import imaging

    if os.environ.get("PICDESK_BENCH_NO_CACHE"):
        memory.start_rendering()
    for _ in range(rounds):
        for f in sorted(corpus.glob("*.jpg")):
            data = f.read_bytes()
            imaging.render_set(data, _planned(imaging.probe(data, 10**9).width), ["jpeg", "webp"])
            if os.environ.get("PICDESK_BENCH_TRIM"):
                memory.release_memory()
    rss_pages = int(Path("/proc/self/statm").read_text().split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20, "peak_mb": peak}))


def worker_memory(corpus: Path, rounds: int) -> dict[str, dict]:
    results = {}
    for label, extra in WORKER_VARIANTS.items():
        out = subprocess.run(
            [sys.executable, str(HERE), "--worker-child", str(corpus), "--runs", str(rounds)],
            capture_output=True, text=True, env={**os.environ, **extra}, check=True,
        )
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


# -- report --------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="picdesk rendition benchmark")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--worker-child", action="store_true")
    parser.add_argument("--rss-of", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="skip per-size, pillow and full")
    parser.add_argument("--throughput-only", action="store_true", help="only sigal against import")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picdesk.settings")
    os.environ.setdefault("PICDESK_HOME", tempfile.mkdtemp(prefix="picdesk-bench-"))
    sys.path.insert(0, str(ROOT / "src"))
    corpus = args.corpus.resolve()
    if args.rss_of:
        return run_rss_of(json.loads(args.rss_of))
    if args.child == "breakdown":
        import django

        django.setup()
        return print(json.dumps(breakdown(corpus)))
    if args.child:
        return run_child(args.child, corpus, args.runs)
    if args.worker_child:
        return run_worker_child(corpus, args.runs)

    if args.throughput_only:
        return report_throughput(corpus)
    _publisher_certificate(Path(os.environ["PICDESK_HOME"]))
    names = ["floor", "publishable", "signed", "publ. 1cpu"] + ([] if args.quick else ["full", "per-size", "pillow"])
    results = {name: measure(name, corpus, args.runs) for name in names}
    medians = {n: {f: statistics.median(t) for f, t in r["times"].items()} for n, r in results.items()}
    files = list(medians["floor"])
    print(f"{len(files)} photos, median of {args.runs} runs, seconds\n")
    print(f"{'photo':48}" + "".join(f"{n:>12}" for n in names))
    for f in files:
        print(f"{f[:47]:48}" + "".join(f"{medians[n][f]:12.3f}" for n in names))
    totals = {n: sum(m.values()) for n, m in medians.items()}
    print(f"{'TOTAL':48}" + "".join(f"{totals[n]:12.3f}" for n in names))
    print(f"{'÷ floor':48}" + "".join(f"{totals[n] / totals['floor']:12.2f}" for n in names))
    print(f"{'peak RSS MB':48}" + "".join(f"{results[n]['peak_rss_mb']:12.0f}" for n in names))

    out = subprocess.run(
        [sys.executable, str(HERE), "--child", "breakdown", str(corpus)],
        capture_output=True, text=True, env={**os.environ, **ONE_CPU}, check=True,
    )
    stages = json.loads(out.stdout.strip().splitlines()[-1])
    print("\nwhere the publishable set's time goes (one thread), ÷ floor")
    for stage, seconds in stages.items():
        print(f"  {stage:10} {seconds:7.3f} s  {seconds / totals['floor']:5.2f}")

    report_throughput(corpus)
    print("\nlong-lived worker, 3 rounds over the corpus: resident MB after / peak MB")
    for label, mem in worker_memory(corpus, 3).items():
        print(f"  {label:22} {mem['rss_mb']:6.0f} / {mem['peak_mb']:6.0f}")

    print("\nratios")
    print(f"  picdesk publishable ÷ floor        {totals['publishable'] / totals['floor']:.2f}  (target ≤ 2.5)")
    print(f"  picdesk publishable 1 cpu ÷ floor  {totals['publ. 1cpu'] / totals['floor']:.2f}")
    print(f"  signed ÷ publishable               {totals['signed'] / totals['publishable']:.2f}  (target ≤ 1.15)")
    if "pillow" in totals:
        print(f"  pillow ÷ picdesk publishable       {totals['pillow'] / totals['publishable']:.2f}  (target ≥ 3)")
        print(f"  per-size ÷ floor                   {totals['per-size'] / totals['floor']:.2f}")


def report_throughput(corpus: Path) -> None:
    processes = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        s_secs, s_images, s_rss = sigal_throughput(corpus, processes, work)
        i_secs, i_images, i_rss = import_throughput(corpus, processes, work)
        one_secs, _, _ = import_throughput(corpus, 1, work, "one-core-home", one_cpu=True)
        b_secs, b_images, b_rss = import_throughput(big_photo(corpus, work).parent, 1, work, "big-home")
    print(f"\nthroughput on {processes} processes (output images per second)")
    print(f"  sigal build        {s_images:4} images in {s_secs:6.2f} s = {s_images / s_secs:6.1f}/s  peak RSS {s_rss:.0f} MB")
    print(f"  picdesk import     {i_images:4} images in {i_secs:6.2f} s = {i_images / i_secs:6.1f}/s  peak RSS {i_rss:.0f} MB")
    print(f"  picdesk import on one core: {one_secs:.2f} s; on {processes} cores {one_secs / i_secs:.2f}x faster")
    print(f"\n100 MP JPEG: picdesk import {b_secs:.2f} s, {b_images} renditions, peak RSS {b_rss:.0f} MB (target ≤ 300)")
    print(f"picdesk import ÷ sigal (images/s)  {(i_images / i_secs) / (s_images / s_secs):.2f}  (target ≥ 2)")


if __name__ == "__main__":
    main()
