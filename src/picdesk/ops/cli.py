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

from picdesk.ops import account_commands, subscriber_commands


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["PICDESK_HOME"] = str(Path(args.home).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picdesk.settings")
    import django

    django.setup()
    if not (args.run is run_manage and _asks_for_help(args.args)):
        from django.conf import settings

        _keep_home_private(settings)
    if args.run in (run_serve, run_demo, run_worker) and (problems := _problems_at_start(args.run)):
        for problem in problems:
            print(f"picdesk: {problem}", file=sys.stderr)
        return 2
    return args.run(args) or 0


def _problems_at_start(run) -> list[str]:
    """What Django's system checks of the settings say is wrong, then what
    the services the settings name say (``ops.services``), a line each."""
    from django.core import checks

    from picdesk.core.config import setting
    from picdesk.ops.services import problems_at_start

    problems = [f"{error.msg} ({error.hint})" for error in checks.run_checks(tags=["settings"])
                if error.is_serious()]
    return problems or problems_at_start(migrations_expected=setting("PICDESK_AUTO_MIGRATE"))


def _asks_for_help(manage_args: list[str]) -> bool:
    """`picdesk manage help` and the like, which must leave no trace in the home."""
    return not manage_args or manage_args[0] in {"help", "--help", "-h", "version", "--version"}


class _MisplacedHome(argparse.Action):
    """``--home`` after the subcommand: say where it goes, rather than argparse's
    "unrecognized arguments"."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.exit(2, f"picdesk: --home goes before the command: picdesk --home {values} "
                       f"{parser.prog.split()[-1]} ...\n")


def _command(commands, name: str, helptext: str, runner, description: str = ""):
    sub = commands.add_parser(name, help=helptext, description=description or helptext,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.add_argument("--home", action=_MisplacedHome, dest="misplaced_home", help=argparse.SUPPRESS)
    sub.set_defaults(run=runner)
    return sub


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picdesk", description="A picture desk for newsrooms.")
    parser.add_argument("--home", help="data folder (default: $PICDESK_HOME or ./picdesk-data); "
                                       "give it before the command")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    _content_commands(commands)
    _running_commands(commands)
    account_commands.add_to(commands, _command)
    subscriber_commands.add_to(commands, _command)
    manage = _command(commands, "manage", "run a Django management command", run_manage)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _content_commands(commands) -> None:
    imp = _command(commands, "import", "import photos into a new slideshow", run_import)
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="photo file or folder")
    imp.add_argument("--slideshow", required=True, metavar="TITLE", help="title of the new slideshow")
    imp.add_argument("--summary", default="", help="the slideshow's summary")
    imp.add_argument("--date", help="publication time: YYYY-MM-DD or ISO 8601, UTC unless it names "
                                    "an offset (default: now); a future time with --publish schedules it")
    imp.add_argument("--publish", action="store_true", help="publish (default: a draft)")
    imp.add_argument("--confirm-restrictions", action="store_true",
                     help="an editor has checked the restrictions that ask for confirmation before publication")
    imp.add_argument("--to-workers", action="store_true",
                     help="leave the renditions to the background workers (`picdesk worker`, on any "
                          "machine) instead of making them here")

    export = _command(commands, "export", "write the whole site to a portable archive", run_export)
    export.add_argument("archive", type=Path, help="the archive to write, e.g. site.tar or site.tar.gz")

    restore = _command(commands, "restore", "load an archive from `picdesk export` into an empty home",
                       run_restore, "Loads ARCHIVE (from `picdesk export`) into an empty home: every "
                       "original is checked against its SHA-256 first; the search index is rebuilt "
                       "and the renditions are queued for the workers.")
    restore.add_argument("archive", type=Path, metavar="ARCHIVE", help="a .tar or .tar.gz from `picdesk export`")


def _running_commands(commands) -> None:
    for name, helptext, runner in [
        ("serve", "serve the site and run the background workers", run_serve),
        ("demo", "build the demo slideshows (once), then serve", run_demo),
    ]:
        sub = _command(commands, name, helptext, runner)
        sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
        sub.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
        sub.add_argument("--verbose", action="store_true", help="the workers log every task")

    worker = _command(commands, "worker", "run a background worker (renditions, scheduled publications)",
                      run_worker)
    worker.add_argument("--verbose", action="store_true", help="log every task")
    worker.add_argument("--until-empty", action="store_true", help="stop once no task is waiting")

    watch = _command(commands, "watch", "ingest the photos delivered into a hot folder", run_watch,
                     "Watches DIR and ingests each photo once it has finished arriving (unchanged for "
                     "--settle seconds), then moves it to DIR/done/, or to DIR/failed/ with a "
                     "NAME.reason.txt. Files already there are taken at start. The renditions are "
                     "made by the workers (`picdesk serve` or `picdesk worker`).")
    watch.add_argument("folder", type=Path, metavar="DIR")
    watch.add_argument("--settle", type=float, default=2.0,
                       help="seconds a file must stay unchanged before it is taken (default: %(default)s)")
    watch.add_argument("--poll", action="store_true", help="poll instead of filesystem events (network shares)")

    ftp = _command(commands, "ftp", "run the FTP/FTPS server cameras send photos to", run_ftp,
                   "Desk accounts (contributor or above) sign in with their own name and password; each "
                   "photo is ingested once its transfer completes. TLS is required when "
                   "PICDESK_FTP_CERT is set.")
    ftp.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    ftp.add_argument("--port", type=int, default=2121, help="port to listen on (default: %(default)s)")

    check = _command(commands, "check", "check originals and renditions against the database", run_check)
    check.add_argument("--repair", action="store_true", help="rebuild what can be rebuilt")
    check.add_argument("--quick", action="store_true",
                       help="compare originals by size, not SHA-256 (minutes, not hours, for a big archive)")

    _command(commands, "migrate", "bring the database up to date (once per upgrade)", run_migrate,
             "Applies the migrations the database lacks, one process at a time (a lock in the "
             "database). Where several machines share a database, run it once per upgrade, with "
             "PICDESK_AUTO_MIGRATE=false on every web server and worker.")

    buckets = _command(commands, "buckets", "make the S3 buckets the settings name", run_buckets,
                       "create: makes PICDESK_S3_BUCKET (private) and PICDESK_S3_PUBLIC_BUCKET "
                       "(anyone may read its objects, nobody may list them) where missing, then checks "
                       "that readers can fetch from the public one.")
    buckets.add_argument("action", choices=["create"])

    _command(commands, "reindex", "rebuild the search index and the near-copy index", run_reindex,
             "Rebuilds both indexes from the database, in batches: they hold nothing the database "
             "does not (the site keeps answering meanwhile; search finds less until it is done).")


def run_import(args) -> int:
    from django.utils.translation import ngettext

    from picdesk.ops.imports import import_paths
    from picdesk.core.dates import parse_moment
    from picdesk.ops.server import migrate

    title = args.slideshow.strip()
    if not title:
        return _refuse("import", "--slideshow needs a title")
    try:
        published_at = None if args.date is None else parse_moment(args.date)
    except ValueError as exc:
        return _refuse("import", f"--date {exc}")
    migrate()
    report = import_paths(
        args.paths, title=title, summary=args.summary, published_at=published_at, publish=args.publish,
        render=not args.to_workers, confirmed=args.confirm_restrictions,
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
    if report.not_published:
        print(f"not published, left a draft: {report.not_published}", file=sys.stderr)
    for path, reason in report.scan.skipped:
        print(f"skipped: {path}: {reason}", file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure.name}: {failure.reason}", file=sys.stderr)
    if report.failures:
        print(ngettext("%d file could not be imported", "%d files could not be imported",
                       len(report.failures)) % len(report.failures), file=sys.stderr)
    return 0 if report.ok else 1


def _keep_home_private(settings) -> None:
    """The home (database, originals with their GPS, the secret key) is its
    owner's alone: 0700, the SQLite file 0600, and what picdesk makes from
    here on is made for its owner only."""
    os.umask(0o077)
    settings.HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.HOME.chmod(0o700)
    database = Path(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and database.exists():
        database.chmod(0o600)


_refuse = account_commands.refuse


def run_serve(args) -> int:
    from picdesk.ops.server import serve

    return serve(args.host, args.port, verbose=args.verbose)


def run_demo(args) -> int:
    from picdesk.ops.demo.build import build_demo
    from picdesk.ops.server import serve

    return serve(args.host, args.port, verbose=args.verbose, then=build_demo)


def run_worker(args) -> int:
    from picdesk.core.processes import PARENT
    from picdesk.ops.server import migrate, run_worker

    if not os.environ.get(PARENT):  # a worker of `picdesk serve` finds its database migrated
        migrate()
    return run_worker(verbose=args.verbose, batch=args.until_empty)


def run_watch(args) -> int:
    import signal

    from picdesk.ops.hotfolder import watch
    from picdesk.ops.server import migrate

    if not args.folder.is_dir():
        return _refuse("watch", f"{args.folder} is not a folder")
    migrate()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as Ctrl-C does
    print(f"watching {args.folder.resolve()}; Ctrl-C stops", flush=True)
    try:
        watch(args.folder.resolve(), settle=args.settle, poll=args.poll,
              say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        pass
    return 0


def run_ftp(args) -> int:
    import signal

    from picdesk.ops.ftp import make_server
    from picdesk.ops.server import migrate

    migrate()
    server = make_server(args.host, args.port)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"ftp server on {args.host}:{args.port}; Ctrl-C stops it", flush=True)
    try:
        server.serve_forever(handle_exit=False)
    except KeyboardInterrupt:
        pass
    finally:
        server.close_all()
    return 0


def run_check(args) -> int:
    from picdesk.ops.server import migrate
    from picdesk.ops.site_check import check_site
    from picdesk.photos.integrity import check

    migrate()
    report = check(repair=args.repair, quick=args.quick, progress=None)
    site = check_site(repair=args.repair, quick=args.quick)
    for line in report.lines() + site.lines():
        print(line)
    if args.repair:
        return 0 if not report.bad_originals else 1
    return 0 if report.clean and site.clean else 1


def run_reindex(args) -> int:
    from picdesk.ops.server import migrate
    from picdesk.photos import near_copies
    from picdesk.reader.search import rebuild_index

    migrate()
    rows = rebuild_index(progress=None)
    near_copies.rebuild(progress=None)
    print(f"reindexed: {rows} search rows, near copies of every photo")
    return 0


def run_migrate(args) -> int:
    from picdesk.ops.server import apply_migrations

    apply_migrations(verbosity=1)
    return 0


def run_buckets(args) -> int:
    from picdesk.ops.services import create_buckets

    return 0 if create_buckets(say=print) else 1


def run_export(args) -> int:
    from picdesk.ops.backup import export_site
    from picdesk.ops.server import migrate

    migrate()
    counts = export_site(args.archive, progress=None)
    print(f"exported {counts.line()} to {args.archive}")
    return 0


def run_restore(args) -> int:
    from picdesk.ops.backup import BackupError, restore_site
    from picdesk.ops.server import migrate

    migrate()
    try:
        counts = restore_site(args.archive)
    except BackupError as exc:
        print(f"picdesk restore: {exc}", file=sys.stderr)
        return 2
    print(f"restored {counts.line()}; the workers remake the renditions")
    return 0


def run_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["picdesk manage", *args.args])
    return 0
