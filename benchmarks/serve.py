"""Serving speed: one 25-photo slideshow page under load, from each web server
picdesk can run on, through Varnish, and as a static file from nginx.

    python benchmarks/serve.py [--connections 50] [--seconds 10] [--servers serve,waitress,gunicorn,granian]

Everything runs on 127.0.0.1 and stops by itself: a fresh home, the page's
renditions made first (so the page is the one readers get), the page cache
warmed, then for each server `wrk` (Debian's package) with --connections open
connections for --seconds, one thread. The same page's bytes are then served
by nginx as a static file, and by Varnish (deploy/varnish/picdesk.vcl) in
front of the fastest server. Prints requests/s, p50 and p99 latency, and each
row's ratio to nginx in the same run; the machine is noisy, ratios less so.
Needs Debian's wrk, nginx and varnish (with varnish-modules).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def environment(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    return {**env, "PICDESK_HOME": str(home), "PICDESK_WORKERS": "0", **extra}


def make_site(root: Path) -> tuple[Path, str]:
    """A home with one published 25-photo slideshow, every rendition made."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from load import make_photos

    home, incoming = root / "home", root / "incoming"
    make_photos(incoming, 25)
    picdesk = [sys.executable, "-m", "picdesk", "--home", str(home)]
    subprocess.run([*picdesk, "import", str(incoming), "--slideshow", "Serving speed", "--publish"],
                   check=True, capture_output=True)
    subprocess.run([*picdesk, "worker", "--until-empty"], check=True, capture_output=True)
    subprocess.run([*picdesk, "manage", "collectstatic", "--no-input", "-v0"], check=True)
    return home, "/pictures/serving-speed/"


def server_command(name: str, port: int, processes: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    python = sys.executable
    return {
        "serve": [python, "-m", "picdesk", "serve", "--port", str(port)],
        "waitress": [python, "-m", "waitress", "--host", "127.0.0.1", "--port", str(port), "--threads", "8",
                     "picdesk.wsgi:application"],
        "gunicorn": [python, "-m", "gunicorn", "picdesk.wsgi:application", "-b", bind, "-w", str(processes),
                     "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
        "granian": [python, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                    "--workers", str(processes), "--blocking-threads", "4", "--log-level", "warning",
                    "picdesk.wsgi:application"],
    }[name]


def load(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": millis("50%"), "p99": millis("99%"), "errors": int(errors.group(1)) if errors else 0}


def warm_and_load(url: str, args) -> dict:
    """Once ``url`` answers: two seconds to warm (caches, connections, code
    paths), then the measured run."""
    wait_for(url)
    load(url, args.connections, 2)
    return load(url, args.connections, args.seconds)


def measure_server(name: str, home: Path, path: str, args) -> dict:
    port = free_port()
    process = subprocess.Popen(server_command(name, port, args.processes), env=environment(home),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return {"port": port, "process": process, **warm_and_load(f"http://127.0.0.1:{port}{path}", args)}
    except BaseException:
        process.terminate()
        raise


def measure_nginx(root: Path, body: bytes, args) -> dict:
    port = free_port()
    site = root / "nginx"
    (site / "www").mkdir(parents=True)
    (site / "www" / "page.html").write_bytes(body)
    (site / "nginx.conf").write_text(f"""
worker_processes {args.processes};
pid {site}/nginx.pid;
error_log {site}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    server {{ listen 127.0.0.1:{port}; root {site}/www; }}
}}
""")
    os.chmod(root, 0o755)
    subprocess.run(["nginx", "-c", str(site / "nginx.conf"), "-p", str(site)], check=True)
    try:
        return warm_and_load(f"http://127.0.0.1:{port}/page.html", args)
    finally:
        subprocess.run(["nginx", "-c", str(site / "nginx.conf"), "-p", str(site), "-s", "stop"])


def measure_varnish(backend_port: int, path: str, args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="picdesk-varnish-"))
    folder.chmod(0o755)
    vcl = REPO / "deploy" / "varnish"
    shutil.copy(vcl / "picdesk.vcl", folder / "picdesk.vcl")
    backend = (vcl / "picdesk-site.vcl").read_text().replace('"8000"', f'"{backend_port}"')
    (folder / "picdesk-site.vcl").write_text(backend)
    port = free_port()
    varnish = subprocess.Popen(["varnishd", "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}",
                                "-f", str(folder / "picdesk.vcl"), "-s", "malloc,256m"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return warm_and_load(f"http://127.0.0.1:{port}{path}", args)
    finally:
        varnish.terminate()
        varnish.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="worker processes of gunicorn, granian and nginx (default: the CPUs)")
    parser.add_argument("--servers", default="serve,waitress,gunicorn,granian",
                        help="serve is `picdesk serve` as it is; the others run picdesk.wsgi directly")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="picdesk-serve-") as tmp:
        root = Path(tmp)
        home, path = make_site(root)
        rows, fastest = {}, None
        for name in args.servers.split(","):
            result = measure_server(name, home, path, args)
            result["process"].terminate()
            result["process"].wait(timeout=60)
            rows["picdesk serve" if name == "serve" else f"picdesk.wsgi on {name}"] = result
        fastest = max(rows, key=lambda row: rows[row]["rps"])
        best = measure_server("serve" if fastest == "picdesk serve" else fastest.split()[-1], home, path, args)
        try:
            body = urllib.request.urlopen(f"http://127.0.0.1:{best['port']}{path}").read()
            rows[f"Varnish in front of {fastest}"] = measure_varnish(best["port"], path, args)
        finally:
            best["process"].terminate()
            best["process"].wait(timeout=60)
        rows["nginx, the same bytes as a static file"] = nginx = measure_nginx(root, body, args)
    print(f"slideshow page of 25 photos ({len(body) / 1024:.0f} KB), {args.connections} connections, "
          f"{args.seconds} s each, wrk on 1 thread, {os.cpu_count()} CPUs")
    print(f"{'':42} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'÷ nginx':>8}")
    for label, row in rows.items():
        print(f"{label:42} {row['rps']:11.0f} {row['p50']:8.1f} {row['p99']:8.1f} {row['errors']:7d} "
              f"{row['rps'] / nginx['rps']:8.2f}")


if __name__ == "__main__":
    main()
