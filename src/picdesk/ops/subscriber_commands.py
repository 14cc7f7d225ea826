"""``picdesk subscribers``: the partners deliveries are pushed to
(slideshows.deliveries), listed, added, changed and removed.

Read before Django is set up, like ``cli``: models are imported inside the
functions that use them.
"""

from __future__ import annotations

from picdesk.ops.account_commands import refuse


def add_to(commands, command) -> None:
    subscribers = command(
        commands, "subscribers", "list, add and remove the partners deliveries are pushed to", run_subscribers,
        "`picdesk subscribers` lists them with their deliveries' state; `subscribers add NAME URL` adds a "
        "webhook (https://, signed with a secret it prints once) or an FTP push (ftp://user:password@host/"
        "folder), for every slideshow or those of `--series`, `--keywords`, `--credit`; `subscribers "
        "change NAME` changes any of these, `--new-secret` gives a webhook a new secret; `subscribers "
        "remove NAME` stops deliveries to it.")
    actions = subscribers.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the subscribers (the default)")
    add = actions.add_parser("add", help="add a subscriber")
    add.add_argument("name")
    add.add_argument("url", help="https://… (a webhook), ftp://user:password@host/folder or "
                                 "sftp://user:password@host/folder?fingerprint=SHA256:… (its host key)")
    _wants(add, default="")
    add.add_argument("--ninjs", default="2.2", choices=["2.2", "3.1"], help="the documents' ninjs version")
    change = actions.add_parser("change", help="change a subscriber (what is not named stays)")
    change.add_argument("name")
    change.add_argument("--url", help="its new address, as for add")
    _wants(change, default=None)
    change.add_argument("--ninjs", choices=["2.2", "3.1"], help="the documents' ninjs version")
    change.add_argument("--new-secret", action="store_true",
                        help="a new secret for a webhook (printed once; the old one stops signing at once)")
    remove = actions.add_parser("remove", help="stop deliveries to a subscriber")
    remove.add_argument("name")


def _wants(parser, default) -> None:
    parser.add_argument("--series", default=default, help="only this series' slideshows (its slug; '' for any)")
    parser.add_argument("--keywords", default=default,
                        help="only slideshows with a photo of one of these (comma-separated)")
    parser.add_argument("--credit", default=default, help="only slideshows with a photo of this credit")


def run_subscribers(args) -> int:
    from picdesk.ops.server import migrate

    migrate()
    if args.action == "add":
        return _add(args)
    if args.action == "change":
        return _change(args)
    if args.action == "remove":
        return _remove(args)
    return _list()


def _add(args) -> int:
    from picdesk.slideshows.deliveries import Subscriber

    if Subscriber.objects.filter(name=args.name).exists():
        return refuse("subscribers add", f"a subscriber named {args.name!r} exists already")
    subscriber = Subscriber(name=args.name, url=args.url, keywords=args.keywords, credit=args.credit,
                            version=args.ninjs)
    return _save(subscriber, args, "added")


def _change(args) -> int:
    from picdesk.slideshows.deliveries import Subscriber

    subscriber = Subscriber.objects.filter(name=args.name).first()
    if subscriber is None:
        return refuse("subscribers change", f"no subscriber is named {args.name!r}")
    for name, value in (("url", args.url), ("keywords", args.keywords), ("credit", args.credit),
                        ("version", args.ninjs)):
        if value is not None:
            setattr(subscriber, name, value)
    if args.new_secret:
        subscriber.secret = ""  # saving a webhook without one makes one
    return _save(subscriber, args, "changed")


def _save(subscriber, args, done: str) -> int:
    """Set the kind (from the address) and the series (``--series``) of
    ``subscriber``, save it and say so; the secret once, where it is new."""
    from picdesk.audit.models import Actor
    from picdesk.slideshows.deliveries import Subscriber, SubscriberError, save_subscriber
    from picdesk.slideshows.models import Series

    command = f"subscribers {args.action}"
    if args.series is not None:
        subscriber.series = Series.objects.filter(slug=args.series).first() if args.series else None
        if args.series and subscriber.series is None:
            return refuse(command, f"--series: no series has the slug {args.series!r}")
    schemes = {"ftp": Subscriber.Kind.FTP, "sftp": Subscriber.Kind.SFTP}
    subscriber.kind = schemes.get(subscriber.url.split("://")[0], Subscriber.Kind.WEBHOOK)
    secret = subscriber.secret
    try:
        save_subscriber(subscriber, by=Actor("cli", sender="picdesk subscribers"))
    except SubscriberError as exc:
        return refuse(command, str(exc))
    print(f"{subscriber.name} {done}: {subscriber.get_kind_display()} to {subscriber.url}")
    if subscriber.secret and subscriber.secret != secret:
        print(f"its secret (give it to the partner; it signs every delivery): {subscriber.secret}")
    return 0


def _remove(args) -> int:
    from picdesk.audit.models import Actor
    from picdesk.slideshows.deliveries import Subscriber, remove_subscriber

    subscriber = Subscriber.objects.filter(name=args.name).first()
    if subscriber is None:
        return refuse("subscribers remove", f"no subscriber is named {args.name!r}")
    remove_subscriber(subscriber, by=Actor("cli", sender="picdesk subscribers"))
    print(f"{args.name} removed: nothing more is delivered to it")
    return 0


def _list() -> int:
    from django.db.models import Count, Q

    from picdesk.slideshows.deliveries import Delivery, Subscriber

    counted = Subscriber.objects.annotate(**{
        state: Count("deliveries", filter=Q(deliveries__state=state)) for state in Delivery.State.values})
    for subscriber in counted.select_related("series"):
        wants = ", ".join(filter(None, [subscriber.series and f"series {subscriber.series.slug}",
                                        subscriber.keywords and f"keywords {subscriber.keywords}",
                                        subscriber.credit and f"credit {subscriber.credit}"])) or "everything"
        counts = ", ".join(f"{getattr(subscriber, state)} {state}" for state in Delivery.State.values)
        print(f"{subscriber.name}\t{subscriber.kind}\t{subscriber.url}\tninjs {subscriber.version}\t{wants}\t{counts}")
    return 0
