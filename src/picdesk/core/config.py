"""picdesk's own settings: every one in this file, each read from the environment
at call time, each with a safe default and a line of documentation.

Django's settings module (``picdesk.settings``) reads the few that Django itself
needs when it starts; everything else asks ``setting(NAME)`` when it needs the
value, so tests and operators can change a variable without a restart of the
code that reads it.

``tests/test_docs.py`` fails when a setting here is missing from README.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


def _int(value: str) -> int:
    return int(value.replace("_", ""))


def _widths(value: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in value.split(",") if part.strip()}))


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip() not in choices:
            raise ValueError(f"one of {', '.join(repr(c) for c in choices)}")
        return value.strip()

    return parse


def _web_address(value: str) -> str:
    """Empty, or an absolute http(s) address (it travels in files and pages)."""
    from urllib.parse import urlsplit

    address = value.strip()
    if address and (urlsplit(address).scheme not in ("http", "https") or not urlsplit(address).netloc):
        raise ValueError("an absolute http:// or https:// address, or empty")
    return address


def _colour(value: str) -> str:
    colour = value.strip().lower()
    if len(colour) != 7 or colour[0] != "#" or any(c not in "0123456789abcdef" for c in colour[1:]):
        raise ValueError("a colour as #rrggbb")
    return colour


def _file_of(*suffixes: str) -> Callable[[str], Path | None]:
    def parse(value: str) -> Path | None:
        if not value.strip():
            return None
        path = Path(value.strip()).expanduser()
        if path.suffix.lower() not in suffixes or not path.is_file():
            raise ValueError(f"an existing {', '.join(suffixes)} file, or empty")
        return path.resolve()

    return parse


def _folder(value: str) -> Path | None:
    if not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    if not path.is_dir():
        raise ValueError("an existing folder, or empty")
    return path.resolve()


def _time_zone(value: str) -> str:
    import zoneinfo

    name = value.strip() or "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone name such as Europe/Lisbon") from None
    return name


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    parse: Callable[[str], object]
    doc: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "PICDESK_HOME",
            "./picdesk-data",
            lambda v: Path(v).expanduser().resolve(),
            "Folder holding the SQLite database and the media files "
            "(originals and renditions). `--home` overrides it.",
        ),
        Setting(
            "DATABASE_URL",
            "",
            str,
            "The database, as a URL (`postgres://user:password@host:5432/name`); empty: "
            "SQLite in `PICDESK_HOME`. Several web servers and workers need PostgreSQL.",
        ),
        Setting(
            "PICDESK_CACHE_URL",
            "",
            str,
            "A Redis server for the page cache and the rate-limit counters that every web "
            "process shares (`redis://127.0.0.1:6379/1`); empty: each process keeps its own "
            "in memory, which is right for one `picdesk serve`.",
        ),
        Setting(
            "PICDESK_BROKER_URL",
            "",
            str,
            "A Redis server whose queues carry the background work (`redis://127.0.0.1:6379/0`), "
            "taken by `picdesk worker` processes on any machine; empty: the queue is a table in "
            "the database, taken by the workers `picdesk serve` starts.",
        ),
        Setting(
            "PICDESK_S3_BUCKET",
            "",
            str,
            "Keep originals, renditions and quarantine in this S3 bucket instead of "
            "`PICDESK_HOME/media`. Credentials come from the usual `AWS_ACCESS_KEY_ID` and "
            "`AWS_SECRET_ACCESS_KEY` (or the machine's role).",
        ),
        Setting(
            "PICDESK_S3_ENDPOINT_URL",
            "",
            str,
            "The S3 service's address for storage other than Amazon's (SeaweedFS, Ceph, R2...), "
            "e.g. `http://127.0.0.1:8333`; empty: Amazon S3.",
        ),
        Setting(
            "PICDESK_S3_PUBLIC_BUCKET",
            "",
            str,
            "An S3 bucket that anyone may read (and nobody list), holding only copies of the "
            "renditions of live photos: reader pages link to them there, never through picdesk. "
            "Empty: picdesk serves renditions itself under `/media/r/`.",
        ),
        Setting("PICDESK_S3_REGION", "us-east-1", str, "The buckets' region."),
        Setting(
            "PICDESK_MEDIA_URL",
            "",
            str,
            "Where readers fetch the renditions of live photos: a CDN in front of "
            "`PICDESK_S3_PUBLIC_BUCKET` (ending in `/`). Empty: the bucket itself, at "
            "`PICDESK_S3_ENDPOINT_URL`.",
        ),
        Setting(
            "PICDESK_PRESIGNED_SECONDS",
            "300",
            _int,
            "How long a presigned URL for a picture that is not public (desk previews, "
            "originals) stays valid, in seconds.",
        ),
        Setting(
            "PICDESK_TRUSTED_PROXY_HEADER",
            "",
            str,
            "The request header in which a trusted proxy in front (nginx, Varnish, a CDN) passes "
            "the reader's address, e.g. `X-Forwarded-For` (its last address is taken) or "
            "`X-Real-IP`; empty: the connection's own address. Set it only behind such a proxy: "
            "anyone can send the header.",
        ),
        Setting(
            "PICDESK_PURGER",
            "",
            _one_of("", "varnish", "fastly", "cloudflare"),
            "How published changes leave shared caches: `varnish` (xkey purge), `fastly` or "
            "`cloudflare` (tag purge); empty: none (the page cache inside picdesk is always "
            "purged).",
        ),
        Setting(
            "PICDESK_PURGE_URLS",
            "",
            lambda v: [u.strip() for u in v.split(",") if u.strip()],
            "Comma-separated Varnish addresses to send purges to, e.g. `http://127.0.0.1:6081/`.",
        ),
        Setting(
            "PICDESK_PURGE_SERVICE",
            "",
            str,
            "The Fastly service ID, or the Cloudflare zone ID, whose cache is purged.",
        ),
        Setting(
            "PICDESK_PURGE_TOKEN",
            "",
            str,
            "The Fastly API key or Cloudflare API token that may purge it.",
        ),
        Setting(
            "PICDESK_SHARED_MAX_AGE",
            "86400",
            _int,
            "How long shared caches (Varnish, a CDN) may keep a public page without asking, in "
            "seconds (`s-maxage`): picdesk purges them when it changes. Browsers always revalidate.",
        ),
        Setting(
            "PICDESK_SECRET_KEY",
            "",
            str,
            "Django's secret key. When empty, picdesk makes one and keeps it in "
            "`PICDESK_HOME/secret_key`.",
        ),
        Setting(
            "PICDESK_SITE_NAME",
            "Pictures",
            str,
            "The site's name: the brand on every reader page, link previews and the web app manifest.",
        ),
        Setting(
            "PICDESK_SITE_LOGO",
            "",
            _file_of(".svg", ".png", ".webp"),
            "A logo file (SVG, PNG or WebP) shown before the site's name in the masthead of every "
            "reader page, 32 px high; empty: the name alone.",
        ),
        Setting(
            "PICDESK_ACCENT_COLOR",
            "#c8102e",
            _colour,
            "The newsroom's colour (`#rrggbb`): the masthead's rule, counters, the lead's label and "
            "buttons. Text on it is black or white, whichever reads better; links keep their own "
            "colours, which meet WCAG AA in both schemes.",
        ),
        Setting(
            "PICDESK_THEME_DIR",
            "",
            _folder,
            "A folder of static files that replace picdesk's own of the same name: a newsroom's "
            "`reader/tokens.css` (fonts, type scale, colours, spacing) restyles every reader page "
            "without touching a template. Read at start.",
        ),
        Setting(
            "PICDESK_SITE_URL",
            "",
            _web_address,
            "The site's public address (`https://pictures.example`), for what is sent without a request "
            "to answer: the ninjs documents of deliveries to subscribers. Deliveries wait, each saying "
            "why, while it is empty.",
        ),
        Setting(
            "PICDESK_LICENSE_URL",
            "",
            _web_address,
            "The page that says on what terms the site's pictures may be used: every rendition and "
            "public original carries it as its Web Statement of Rights (xmpRights:WebStatement), page "
            "JSON-LD as `license`, Media RSS as `media:license`. A photo's own Web Statement wins. "
            "Empty: none is claimed.",
        ),
        Setting(
            "PICDESK_LICENSOR_URL",
            "",
            _web_address,
            "Where a licence to the site's pictures is bought: every rendition and public original "
            "names it as the PLUS licensor's URL (with PICDESK_SITE_NAME as the licensor), page JSON-LD "
            "as `acquireLicensePage`. A photo's own licensor wins. Empty: none is claimed.",
        ),
        Setting(
            "PICDESK_SITE_DESCRIPTION",
            "The day's news in photographs: slideshows with every caption and credit.",
            str,
            "The site's description for search engines: the meta description of the home, "
            "series, archive and search pages (slideshow and photo pages use their summary and caption).",
        ),
        Setting(
            "PICDESK_LOG_FORMAT",
            "text",
            _one_of("text", "json"),
            "How log lines on standard error look: `text`, or `json` (one object a line: time, level, "
            "logger, message, traceback) for a log collector. Every 500 and every failed task is "
            "logged with its traceback.",
        ),
        Setting(
            "PICDESK_LOG_LEVEL",
            "INFO",
            _one_of("DEBUG", "INFO", "WARNING", "ERROR"),
            "The least serious of picdesk's own log lines that are written.",
        ),
        Setting("PICDESK_DEBUG", "false", _bool, "Django debug pages. Never on in production."),
        Setting(
            "PICDESK_ACCESS_LOG",
            "false",
            _bool,
            "A log line per request (address, method, path, status, milliseconds, and the request "
            "id that is also sent back as `X-Request-ID`) from the web processes.",
        ),
        Setting(
            "PICDESK_METRICS_TOKEN",
            "",
            str,
            "The bearer token a Prometheus scraper sends for `/metrics` "
            "(`Authorization: Bearer ...`); empty: `/metrics` answers this machine's own "
            "addresses only.",
        ),
        Setting(
            "PICDESK_AUTO_MIGRATE",
            "true",
            _bool,
            "Whether `picdesk serve`, `demo`, `worker` and the other commands bring the database "
            "up to date at start. Set `false` where several machines share one database and "
            "`picdesk migrate` runs once per upgrade; a process then refuses to start on a "
            "database that lacks migrations.",
        ),
        Setting(
            "PICDESK_SWEEP_SECONDS",
            "60",
            _int,
            "How often every worker sweeps for what a lost job or a dead worker left: scheduled "
            "slideshows past their time and still scheduled are published, abandoned tasks are "
            "queued again, old finished tasks are pruned.",
        ),
        Setting(
            "PICDESK_HTTPS",
            "false",
            _bool,
            "Served over HTTPS (behind a proxy setting X-Forwarded-Proto): secure cookies, "
            "HSTS and a redirect from http.",
        ),
        Setting(
            "PICDESK_HSTS_PRELOAD",
            "false",
            _bool,
            "With `PICDESK_HTTPS`, ask browsers to put the domain on their HSTS preload lists "
            "(hard to undo: only for a domain that is served over HTTPS for good, subdomains too).",
        ),
        Setting(
            "PICDESK_ADMIN",
            "false",
            _bool,
            "Django's admin at /admin/, read-only, for superusers; signing in there is the desk's "
            "sign-in, with its lock. Off: every change goes through the desk, API or command line.",
        ),
        Setting(
            "PICDESK_ALLOWED_HOSTS",
            "127.0.0.1,localhost,[::1]",
            lambda v: [h.strip() for h in v.split(",") if h.strip()],
            "Comma-separated host names the site answers to.",
        ),
        Setting(
            "PICDESK_MAX_PIXELS",
            "150000000",
            _int,
            "Largest image accepted, in pixels (width × height). Larger files are "
            "rejected at import before they are decoded.",
        ),
        Setting(
            "PICDESK_MAX_ASPECT",
            "7.5",
            float,
            "Longest side over shortest side of an image accepted (7.5 takes photos up to "
            "1:7.5). Raise it for stitched panoramas; a portrait strip longer than 1:8 cannot "
            "be made into a 2048 px wide WebP, whose sides stop at 16383 px.",
        ),
        Setting(
            "PICDESK_MAX_UPLOAD_BYTES",
            "209715200",
            _int,
            "Largest file accepted, in bytes (default 200 MiB), by every ingest: "
            "`picdesk import`, the desk's upload and the API (which answers 413 beyond it).",
        ),
        Setting(
            "PICDESK_FTP_PORT",
            "",
            lambda v: _int(v) if v.strip() else None,
            "Port of the FTP server for cameras that `picdesk serve` starts beside the web "
            "server (on the same host); empty starts none. `picdesk ftp` runs it alone.",
        ),
        Setting(
            "PICDESK_FTP_CERT",
            "",
            str,
            "PEM certificate (with its key, or see `PICDESK_FTP_KEY`) for FTPS; when set, "
            "the FTP server requires TLS for the login and the data.",
        ),
        Setting("PICDESK_FTP_KEY", "", str, "PEM private key for `PICDESK_FTP_CERT`, if kept apart."),
        Setting(
            "PICDESK_FTP_PASSIVE_PORTS",
            "",
            lambda v: range(int(v.split("-")[0]), int(v.split("-")[1]) + 1) if v.strip() else None,
            "Ports for passive-mode data connections, e.g. `60000-60099` (default: any free port).",
        ),
        Setting(
            "PICDESK_RENDITION_WIDTHS",
            "320,640,1024,1600,2048",
            _widths,
            "Widths, in pixels, of the renditions made for every photo (never upscaled).",
        ),
        Setting(
            "PICDESK_JPEG_QUALITY", "80", _int, "Encoder quality of JPEG renditions (1-100)."
        ),
        Setting(
            "PICDESK_WEBP_QUALITY", "82", _int, "Encoder quality of WebP renditions (1-100)."
        ),
        Setting(
            "PICDESK_AVIF_QUALITY", "65", _int, "Encoder quality of AVIF renditions (1-100)."
        ),
        Setting(
            "PICDESK_NEXT_SLIDESHOWS",
            "4",
            _int,
            "How many slideshows the Next Slideshows rail shows.",
        ),
        Setting(
            "PICDESK_MORE_IN_PICTURES",
            "9",
            _int,
            "How many slideshows the More in Pictures rail shows.",
        ),
        Setting(
            "PICDESK_HOME_PAGE_SIZE",
            "12",
            _int,
            "Slideshows per page on the Pictures home page.",
        ),
        Setting(
            "PICDESK_TIME_ZONE",
            "UTC",
            _time_zone,
            "The desk's time zone (an IANA name such as Europe/Lisbon) for editors who have not "
            "chosen their own on their account page; times are stored in UTC.",
        ),
        Setting(
            "PICDESK_DESK_PAGE_SIZE",
            "120",
            _int,
            "Photos per page on the desk's contact sheet: a take to cull without paging.",
        ),
        Setting(
            "PICDESK_API_PAGE_SIZE",
            "20",
            _int,
            "Slideshows per page of the API's list (`next` links to the following page).",
        ),
        Setting(
            "PICDESK_SEARCH_RATE",
            "60",
            _int,
            "Searches a client address may make a minute; more answer 429.",
        ),
        Setting(
            "PICDESK_UPLOAD_RATE",
            "300",
            _int,
            "Upload requests a client address may make a minute on the desk "
            "(the desk sends one file per request); more answer 429.",
        ),
        Setting(
            "PICDESK_UPLOAD_MAX_FILES",
            "100",
            _int,
            "Most files one upload request may carry.",
        ),
        Setting(
            "PICDESK_ORIGINAL_RATE",
            "30",
            _int,
            "Public original downloads (`/api/v1/photos/KEY/original`) allowed per client address a minute.",
        ),
        Setting(
            "PICDESK_LOGIN_FAILURES",
            "5",
            _int,
            "Failed sign-ins allowed per client address, and per user name, in "
            "the last `PICDESK_LOGIN_WINDOW` seconds (a sliding window); then sign-in answers 429 until older failures leave it.",
        ),
        Setting(
            "PICDESK_LOGIN_WINDOW",
            "900",
            _int,
            "The window, in seconds, in which failed sign-ins are counted (15 minutes).",
        ),
        Setting(
            "PICDESK_API_WRITE_RATE",
            "600",
            _int,
            "API writes (uploads, new slideshows) a client address may make a minute.",
        ),
        Setting(
            "PICDESK_CAPTION_LIMIT",
            "250",
            _int,
            "Characters of caption plus credit line shown before `...more`.",
        ),
        Setting(
            "PICDESK_WORKERS",
            "",
            lambda v: _int(v) if v.strip() else os.cpu_count() or 1,
            "Background worker processes that `picdesk serve` starts "
            "(default: the number of CPUs).",
        ),
        Setting(
            "PICDESK_TASK_LEASE",
            "1800",
            _int,
            "Seconds after which a task still running is run again whatever its worker says: the "
            "last resort, for a worker that never beat (a dead worker is seen at once on the same "
            "machine, after 45 s without a beat on another). Longer than any task takes.",
        ),
        Setting(
            "PICDESK_RENDERS_PER_PROCESS",
            "2",
            _int,
            "Renditions a web process makes at once for readers (sizes the workers have not made "
            "yet); more wait their turn. Each holds a decoded photo in memory.",
        ),
        Setting(
            "PICDESK_RENDER_WAIT",
            "20",
            _int,
            "Seconds a request waits for a rendition being made (by itself or another request) before "
            "it is answered 503 with Retry-After.",
        ),
        Setting(
            "PICDESK_SERVER_THREADS",
            "4",
            _int,
            "Threads of each process of `picdesk serve`'s web server (granian): requests each "
            "answers at once.",
        ),
        Setting(
            "PICDESK_WEB_PROCESSES",
            "",
            lambda v: _int(v) if v.strip() else os.cpu_count() or 1,
            "Processes of `picdesk serve`'s web server (default: the number of CPUs).",
        ),
        Setting(
            "PICDESK_STOP_SECONDS",
            "10",
            _int,
            "On Ctrl-C or SIGTERM, seconds `picdesk serve`'s web processes get to finish the "
            "requests in hand before they are killed.",
        ),
        Setting(
            "PICDESK_ENCODE_THREADS",
            "",
            lambda v: _int(v) if v.strip() else os.cpu_count() or 1,
            "Threads that encode one photo's renditions at once (default: the number of CPUs).",
        ),
        Setting(
            "PICDESK_C2PA_TRUST_ANCHORS",
            "",
            str,
            "A PEM file of the root certificates whose Content Credentials (C2PA) picdesk "
            "trusts (the agencies and camera makers you work with). Validation is offline: "
            "remote manifests and OCSP are never fetched. Empty: every signer is unknown.",
        ),
        Setting(
            "PICDESK_C2PA_CERT",
            "",
            str,
            "A PEM file of the publisher's signing certificate chain (end entity first, "
            "no root). With `PICDESK_C2PA_KEY`, every rendition carries Content "
            "Credentials signed by the publisher; empty: renditions claim nothing.",
        ),
        Setting(
            "PICDESK_C2PA_KEY",
            "",
            str,
            "A PEM file of the private key of `PICDESK_C2PA_CERT` (EC P-256/384/521, "
            "Ed25519 or RSA; the signing algorithm follows from it).",
        ),
        Setting(
            "PICDESK_C2PA_TSA_URL",
            "",
            str,
            "An RFC 3161 time-stamp authority for the publisher's signatures; empty: none "
            "(no network at signing time).",
        ),
    ]
}


def setting(name: str):
    """The current value of the setting ``name``, parsed, read from the environment now."""
    spec = SETTINGS[name]
    return spec.parse(os.environ.get(name, spec.default))


def check_settings(app_configs=None, **kwargs) -> list:
    """A Django system check: every setting set in the environment parses.
    ``picdesk serve``, ``demo`` and ``worker`` refuse to start otherwise."""
    from django.core import checks

    errors = []
    for spec in SETTINGS.values():
        if spec.name not in os.environ:
            continue
        try:
            spec.parse(os.environ[spec.name])
        except (ValueError, TypeError) as exc:
            errors.append(checks.Error(
                f"{spec.name}={os.environ[spec.name]!r} is not valid: expected {exc}",
                hint=spec.doc, id="picdesk.E001"))
    return errors
