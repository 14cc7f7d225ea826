"""The command line's account commands: API tokens (``picdesk tokens``,
``createtoken``) and desk accounts (``createuser``, ``setpassword``).

Read before Django is set up, like ``cli``: models are imported inside the
functions that use them.
"""

from __future__ import annotations

import sys


def refuse(command: str, reason: str) -> int:
    print(f"picdesk {command}: {reason}", file=sys.stderr)
    return 2


def add_to(commands, command) -> None:
    """``picdesk tokens``, ``createtoken``, ``createuser`` and ``setpassword``, made by ``command`` (cli's)."""
    from picdesk.core.roles import DUTIES, ROLES

    token = command(commands, "createtoken", "make an API token (the same as `tokens create`)", run_createtoken)
    _token_options(token)
    tokens = command(commands, "tokens", "list, make and revoke API tokens", run_tokens,
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
    user = command(commands, "createuser", "make a desk account", run_createuser,
                    f"Makes a desk account.\n\nRoles:\n{duties}\n\n{password_note}")
    user.add_argument("name", help="the user name to sign in with")
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument("--email", default="")

    password = command(commands, "setpassword", "give a desk account a new password (a lost one)",
                        run_setpassword, "Gives an existing desk account a new password.\n\n"
                        + password_note.replace("createuser NAME --role editor", "setpassword NAME"))
    password.add_argument("name", help="the account's user name")


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
        return refuse("tokens create", f"a token named {args.name!r} exists already")
    expires_at = timezone.now() + dt.timedelta(days=args.expires_in) if args.expires_in else None
    try:
        token, key = ApiToken.issue(args.name, [s.strip() for s in args.scope.split(",") if s.strip()],
                                    expires_at)
    except ValueError as exc:
        return refuse("tokens create", f"--scope: {exc}")
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
            return refuse("tokens revoke", f"no token is named {args.name!r}")
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
        return refuse(command, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
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
