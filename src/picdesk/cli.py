"""The ``picdesk`` command: one entry point for everything an operator runs.

Each subcommand is a small function; the work itself lives in the apps.
Django is set up after the arguments are read, so ``--home`` can choose the
data folder before the settings are built.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["PICDESK_HOME"] = str(Path(args.home).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picdesk.settings")
    import django

    django.setup()
    return args.run(args) or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picdesk", description="A picture desk for newsrooms.")
    parser.add_argument("--home", help="data folder (default: $PICDESK_HOME or ./picdesk-data)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    imp = commands.add_parser("import", help="import photos into a new slideshow")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="photo file or folder")
    imp.add_argument("--slideshow", required=True, metavar="TITLE", help="title of the new slideshow")
    imp.add_argument("--summary", default="", help="the slideshow's summary")
    imp.add_argument("--date", help="publication time: YYYY-MM-DD or ISO 8601 (default: now)")
    imp.add_argument("--publish", action="store_true", help="publish at once (default: a draft)")
    imp.set_defaults(run=run_import)

    for name, helptext, runner in [
        ("serve", "serve the site and run the background workers", run_serve),
        ("demo", "build the demo slideshows (once), then serve", run_demo),
    ]:
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--port", type=int, default=8000)
        sub.set_defaults(run=runner)

    worker = commands.add_parser("worker", help="run a background worker (renditions)")
    worker.set_defaults(run=run_worker)

    check = commands.add_parser("check", help="check originals and renditions against the database")
    check.add_argument("--repair", action="store_true", help="rebuild what can be rebuilt")
    check.set_defaults(run=run_check)

    export = commands.add_parser("export", help="write the whole site to a portable archive")
    export.add_argument("archive", type=Path, help="the archive to write, e.g. site.tar or site.tar.gz")
    export.set_defaults(run=run_export)

    restore = commands.add_parser("restore", help="load an archive from `picdesk export` into an empty home")
    restore.add_argument("archive", type=Path)
    restore.set_defaults(run=run_restore)

    token = commands.add_parser("createtoken", help="make an API token for automation")
    token.add_argument("name", help="who or what uses it, e.g. wire-ingest")
    token.set_defaults(run=run_createtoken)

    user = commands.add_parser("createuser", help="make a desk account")
    user.add_argument("name", help="the user name to sign in with")
    user.add_argument("--role", required=True, choices=["contributor", "editor", "admin"])
    user.add_argument("--email", default="")
    user.set_defaults(run=run_createuser)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(run=run_manage)
    return parser


def run_import(args) -> int:
    from django.utils.translation import ngettext

    from picdesk.batch import import_paths
    from picdesk.dates import parse_moment
    from picdesk.server import migrate

    title = args.slideshow.strip()
    if not title:
        return _refuse("import", "--slideshow needs a title")
    try:
        published_at = None if args.date is None else parse_moment(args.date)
    except ValueError as exc:
        return _refuse("import", f"--date {exc}")
    migrate()
    report = import_paths(
        args.paths, title=title, summary=args.summary, published_at=published_at, publish=args.publish
    )
    for name, photo in report.reused:
        print(f"already imported: {name} (photo {photo.pk}, reused)")
    if report.slideshow:
        show = report.slideshow
        photos = ngettext("%d photo", "%d photos", len(report.photos)) % len(report.photos)
        print(f"imported {photos} into {show.get_status_display().lower()} "
              f"slideshow “{show.title}” at {show.get_absolute_url()}")
        if show.status == show.Status.SCHEDULED:
            print(f"readers see it from {show.published_at:%Y-%m-%d %H:%M} UTC")
    else:
        print("no photos imported; no slideshow made")
    for path, reason in report.scan.skipped:
        print(f"skipped: {path}: {reason}", file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure.name}: {failure.reason}", file=sys.stderr)
    if report.failures:
        print(ngettext("%d file could not be imported", "%d files could not be imported",
                       len(report.failures)) % len(report.failures), file=sys.stderr)
    return 0 if report.ok else 1


def _refuse(command: str, reason: str) -> int:
    print(f"picdesk {command}: {reason}", file=sys.stderr)
    return 2


def run_serve(args) -> int:
    from picdesk.server import serve

    return serve(args.host, args.port)


def run_demo(args) -> int:
    from picdesk.demo.build import build_demo
    from picdesk.server import migrate, serve

    migrate()
    for line in build_demo():
        print(line)
    return serve(args.host, args.port)


def run_worker(args) -> int:
    from picdesk.server import run_worker

    return run_worker()


def run_check(args) -> int:
    from picdesk.photos.integrity import check
    from picdesk.server import migrate

    migrate()
    report = check(repair=args.repair)
    for line in report.lines():
        print(line)
    return 0 if report.clean or args.repair and not report.bad_originals else 1


def run_export(args) -> int:
    from picdesk.backup import export_site
    from picdesk.server import migrate

    migrate()
    counts = export_site(args.archive)
    print(f"exported {counts.line()} to {args.archive}")
    return 0


def run_restore(args) -> int:
    from picdesk.backup import BackupError, restore_site
    from picdesk.server import migrate

    migrate()
    try:
        counts = restore_site(args.archive)
    except BackupError as exc:
        print(f"picdesk restore: {exc}", file=sys.stderr)
        return 2
    print(f"restored {counts.line()}; the workers remake the renditions")
    return 0


def run_createtoken(args) -> int:
    from picdesk.api.models import ApiToken
    from picdesk.server import migrate

    migrate()
    if ApiToken.objects.filter(name=args.name).exists():
        print(f"picdesk createtoken: a token named {args.name!r} exists already", file=sys.stderr)
        return 2
    _, key = ApiToken.issue(args.name)
    print(key)
    return 0


def run_createuser(args) -> int:
    """The password is asked for twice at a terminal, or read as one line from
    standard input (for scripts): never from the command line, where other
    users of the machine would see it."""
    import getpass

    from django.contrib.auth.password_validation import ValidationError, validate_password

    from picdesk.roles import create_user
    from picdesk.server import migrate

    migrate()
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("picdesk createuser: the passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        validate_password(password)
        create_user(args.name, password, args.role, args.email)
    except (ValueError, ValidationError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        print(f"picdesk createuser: {reason}", file=sys.stderr)
        return 2
    print(f"{args.name} can sign in at /desk/ as {args.role}")
    return 0


def run_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["picdesk manage", *args.args])
    return 0
