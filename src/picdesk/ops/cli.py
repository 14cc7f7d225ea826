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
    if not (args.run is run_manage and _asks_for_help(args.args)):
        from django.conf import settings

        _keep_home_private(settings)
    if args.run in (run_serve, run_demo, run_worker) and (problems := _settings_problems()):
        for problem in problems:
            print(f"picdesk: {problem}", file=sys.stderr)
        return 2
    return args.run(args) or 0


def _settings_problems() -> list[str]:
    """What Django's system checks of the settings say is wrong, a line each."""
    from django.core import checks

    return [f"{error.msg} ({error.hint})" for error in checks.run_checks(tags=["settings"]) if error.is_serious()]


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
    _account_commands(commands)
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


def _account_commands(commands) -> None:
    from picdesk.core.roles import DUTIES, ROLES

    token = _command(commands, "createtoken", "make an API token (the same as `tokens create`)", run_createtoken)
    _token_options(token)
    tokens = _command(commands, "tokens", "list, make and revoke API tokens", run_tokens,
                      "`picdesk tokens` lists every token (scopes, last use, expiry, revocation); "
                      "`tokens create NAME` makes one and prints its key, once; `tokens revoke NAME` "
                      "stops it working at once.")
    actions = tokens.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the tokens (the default)")
    _token_options(actions.add_parser("create", help="make a token and print its key, once"))
    revoke = actions.add_parser("revoke", help="stop a token working")
    revoke.add_argument("name")

    duties = "\n".join(f"  {role:<12} {DUTIES[role]}" for role in ROLES)
    password_note = ("The password is asked for twice at a terminal, or read as one line from standard "
                     "input:\n  echo \"$PASSWORD\" | picdesk createuser NAME --role editor")
    user = _command(commands, "createuser", "make a desk account", run_createuser,
                    f"Makes a desk account.\n\nRoles:\n{duties}\n\n{password_note}")
    user.add_argument("name", help="the user name to sign in with")
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument("--email", default="")

    password = _command(commands, "setpassword", "give a desk account a new password (a lost one)",
                        run_setpassword, "Gives an existing desk account a new password.\n\n"
                        + password_note.replace("createuser NAME --role editor", "setpassword NAME"))
    password.add_argument("name", help="the account's user name")


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
        render=not args.to_workers,
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


def _refuse(command: str, reason: str) -> int:
    print(f"picdesk {command}: {reason}", file=sys.stderr)
    return 2


def run_serve(args) -> int:
    from picdesk.ops.server import serve

    return serve(args.host, args.port, verbose=args.verbose)


def run_demo(args) -> int:
    from picdesk.ops.demo.build import build_demo
    from picdesk.ops.server import serve

    return serve(args.host, args.port, verbose=args.verbose, then=build_demo)


def run_worker(args) -> int:
    from picdesk.ops.server import run_worker

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
    from picdesk.photos.integrity import check
    from picdesk.ops.server import migrate

    migrate()
    report = check(repair=args.repair)
    for line in report.lines():
        print(line)
    return 0 if report.clean or args.repair and not report.bad_originals else 1


def run_export(args) -> int:
    from picdesk.ops.backup import export_site
    from picdesk.ops.server import migrate

    migrate()
    counts = export_site(args.archive)
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


def _token_options(parser) -> None:
    from picdesk.api.scopes import DEFAULT_SCOPES, SCOPES

    parser.add_argument("name", help="who or what uses it, e.g. wire-ingest")
    parser.add_argument("--scope", default=",".join(DEFAULT_SCOPES),
                        help="comma-separated: " + "; ".join(f"{name} may {does}" for name, does in SCOPES.items())
                        + " (default: %(default)s)")
    parser.add_argument("--expires-in", type=int, metavar="DAYS", help="stop working after DAYS days")


def run_createtoken(args) -> int:
    import datetime as dt

    from django.utils import timezone

    from picdesk.api.models import ApiToken
    from picdesk.audit.models import Actor, record
    from picdesk.ops.server import migrate

    migrate()
    if ApiToken.objects.filter(name=args.name).exists():
        return _refuse("tokens create", f"a token named {args.name!r} exists already")
    expires_at = timezone.now() + dt.timedelta(days=args.expires_in) if args.expires_in else None
    try:
        token, key = ApiToken.issue(args.name, [s.strip() for s in args.scope.split(",") if s.strip()],
                                    expires_at)
    except ValueError as exc:
        return _refuse("tokens create", f"--scope: {exc}")
    record(Actor("cli", sender="picdesk tokens"), "made API token", detail=f"{token.name} ({token.scopes})")
    print(key)
    return 0


def run_tokens(args) -> int:
    from picdesk.api.models import ApiToken
    from picdesk.audit.models import Actor, record
    from picdesk.ops.server import migrate

    if args.action == "create":
        return run_createtoken(args)
    migrate()
    if args.action == "revoke":
        token = ApiToken.objects.filter(name=args.name).first()
        if token is None:
            return _refuse("tokens revoke", f"no token is named {args.name!r}")
        token.revoke()
        record(Actor("cli", sender="picdesk tokens"), "revoked API token", detail=token.name)
        print(f"{token.name} no longer works")
        return 0
    for token in ApiToken.objects.order_by("name"):
        print(_token_line(token))
    return 0


def _token_line(token) -> str:
    def when(moment):
        return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"

    state = (f"revoked {when(token.revoked_at)}" if token.revoked_at
             else f"expires {when(token.expires_at)}" if token.expires_at else "does not expire")
    if token.revoked_at is None and not token.usable:
        state = f"expired {when(token.expires_at)}"
    return f"{token.name}\t{token.scopes}\tlast used {when(token.last_used_at)}\t{state}"


def _read_password(command: str, name: str) -> str | None:
    """Asked for twice at a terminal, or read as one line from standard input
    (for scripts): never from the command line, where other users of the
    machine would see it. None (after saying why) when the two differ."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("Again: ") != password:
        print(f"picdesk {command}: the passwords differ", file=sys.stderr)
        return None
    return password


def _set_account(command: str, name: str, save) -> int:
    """Read a password, validate it with Django's validators, then ``save(password)``."""
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from picdesk.ops.server import migrate

    migrate()
    password = _read_password(command, name)
    if password is None:
        return 2
    try:
        validate_password(password)
        save(password)
    except (ValueError, ValidationError) as exc:
        return _refuse(command, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return 0


def run_createuser(args) -> int:
    from picdesk.audit.models import Actor
    from picdesk.core.roles import create_user

    by = Actor("cli", sender="picdesk createuser")
    status = _set_account("createuser", args.name,
                          lambda password: create_user(args.name, password, args.role, args.email, by=by))
    if status == 0:
        print(f"{args.name} can sign in at /desk/ as {args.role}")
    return status


def run_setpassword(args) -> int:
    from picdesk.audit.models import Actor
    from picdesk.core.roles import change_password

    by = Actor("cli", sender="picdesk setpassword")
    status = _set_account("setpassword", args.name, lambda password: change_password(args.name, password, by=by))
    if status == 0:
        print(f"{args.name} signs in at /desk/ with the new password")
    return status


def run_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["picdesk manage", *args.args])
    return 0
