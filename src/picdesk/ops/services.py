"""The services a site is configured with, and whether each is there.

The same probes answer ``/readyz`` (``reachability``: can this process
serve now?) and the check at start of ``serve``, ``demo`` and ``worker``
(``problems_at_start``: is what the settings name there and usable? each
problem names the setting to fix), so a missing bucket, a cache URL with a
typo or a purger nobody listens to stops a process at start instead of
turning into 500s, lost purges or pages linking to nothing.

``create_buckets`` (``picdesk buckets create``) makes both buckets, with
anonymous reads of objects (never listing) on the public one.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

from django.core.cache import caches
from django.core.files.storage import default_storage

from picdesk.core.config import setting
from picdesk.photos.public import public_storage

PROBE_NAME = ".picdesk-probe"  # an object in the public bucket that proves anonymous reads work
TIMEOUT = 5


def probes() -> Iterator[tuple[str, Callable[[], None]]]:
    """(what, probe) for each service this site uses; a probe raises if it fails."""
    from picdesk.ops.health import database_ready

    yield "database", database_ready
    yield "cache", _cache_answers
    if setting("PICDESK_BROKER_URL"):
        yield "broker", _broker_answers
    yield "storage", _storage_answers
    if setting("PICDESK_S3_PUBLIC_BUCKET"):
        yield "public bucket", _public_bucket_answers


def reachability() -> dict[str, str]:
    """{service: "ok" or what went wrong}, for /readyz."""
    return {what: _outcome(probe) for what, probe in probes()}


def _outcome(probe: Callable[[], None]) -> str:
    try:
        probe()
    except Exception as error:  # whatever the client library raises: reported, not raised
        return f"{type(error).__name__}: {error}"[:300]
    return "ok"


def _cache_answers() -> None:
    caches["pages"].get("readyz")


def _broker_answers() -> None:
    import django_rq

    django_rq.get_connection("default").ping()


def _storage_answers() -> None:
    default_storage.exists(PROBE_NAME)


def _public_bucket_answers() -> None:
    public_storage().exists(PROBE_NAME)


# What to fix when a probe fails at start: the settings that name the service.
FIX = {
    "database": "DATABASE_URL",
    "cache": "PICDESK_CACHE_URL",
    "broker": "PICDESK_BROKER_URL",
    "storage": "PICDESK_S3_BUCKET, PICDESK_S3_ENDPOINT_URL and the AWS_ credentials",
    "public bucket": "PICDESK_S3_PUBLIC_BUCKET",
}


def problems_at_start(migrations_expected: bool) -> list[str]:
    """What keeps this process from working as configured, a line each naming
    the setting; empty when all is well. ``migrations_expected``: the
    database may still lack migrations (this process applies them itself)."""
    problems = []
    for what, probe in probes():
        if what == "database" and migrations_expected:
            probe = _database_answers
        if (outcome := _outcome(probe)) != "ok":
            problems.append(f"the {what} does not answer ({outcome}); check {FIX[what]}")
    problems += _bucket_problems() + _purger_problems()
    return problems


def _database_answers() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _bucket_problems() -> list[str]:
    problems = []
    for name, storage in _buckets():
        try:
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        except Exception as error:  # botocore's ClientError, or no connection
            problems.append(f"the bucket {storage.bucket_name!r} ({name}) is not there or not ours ({error}); "
                            "`picdesk buckets create` makes it")
    if not problems and public_storage() is not None and (why := _not_anonymously_readable()):
        problems.append(f"the public bucket is not readable by readers: {why} (PICDESK_S3_PUBLIC_BUCKET; "
                        "README.md, Production, shows the policy)")
    return problems


def _buckets() -> list[tuple[str, object]]:
    found = []
    if setting("PICDESK_S3_BUCKET"):
        found.append(("PICDESK_S3_BUCKET", default_storage))
    if public := public_storage():
        found.append(("PICDESK_S3_PUBLIC_BUCKET", public))
    return found


def _not_anonymously_readable() -> str:
    """Why readers could not fetch a copy from the public bucket, or ''."""
    from django.core.files.base import ContentFile

    public = public_storage()
    public.save(PROBE_NAME, ContentFile(b"picdesk\n"))
    endpoint = setting("PICDESK_S3_ENDPOINT_URL") or f"https://s3.{setting('PICDESK_S3_REGION')}.amazonaws.com"
    address = f"{endpoint.rstrip('/')}/{public.bucket_name}/{PROBE_NAME}"
    try:
        with urllib.request.urlopen(address, timeout=TIMEOUT) as answer:
            answer.read()
    except (urllib.error.URLError, OSError) as error:
        return f"an anonymous GET of {address} failed ({error})"
    return ""


def _purger_problems() -> list[str]:
    purger = setting("PICDESK_PURGER")
    if purger == "varnish":
        if not setting("PICDESK_PURGE_URLS"):
            return ["PICDESK_PURGER=varnish needs PICDESK_PURGE_URLS, the Varnish addresses to purge"]
        return [problem for url in setting("PICDESK_PURGE_URLS") if (problem := _varnish_refuses(url))]
    if purger and not (setting("PICDESK_PURGE_SERVICE") and setting("PICDESK_PURGE_TOKEN")):
        return [f"PICDESK_PURGER={purger} needs PICDESK_PURGE_SERVICE and PICDESK_PURGE_TOKEN"]
    return []


def _varnish_refuses(url: str) -> str:
    """A purge of a key no page has, as picdesk sends them: '' when Varnish takes it."""
    request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": "picdesk-start-probe"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        return (f"Varnish at {url} refuses purges from here ({error.code} {error.reason}); check "
                "PICDESK_PURGE_URLS and the purgers ACL in picdesk-site.vcl")
    except OSError as error:
        return f"no Varnish answers purges at {url} ({error}); check PICDESK_PURGE_URLS"
    return ""


def public_read_policy(bucket: str) -> str:
    """Anyone may read an object; nobody may list (no s3:ListBucket)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PicdeskReadersReadLiveRenditions", "Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})


def create_buckets(say: Callable[[str], None]) -> bool:
    """Make the private and public buckets where missing, give the public one
    its read policy, and check what readers will get; True when all is well."""
    buckets = _buckets()
    if not buckets:
        say("no bucket is configured (PICDESK_S3_BUCKET, PICDESK_S3_PUBLIC_BUCKET): nothing to do")
        return True
    for name, storage in buckets:
        client = storage.connection.meta.client
        try:
            client.head_bucket(Bucket=storage.bucket_name)
            say(f"{storage.bucket_name} ({name}): there already")
        except client.exceptions.ClientError:
            client.create_bucket(Bucket=storage.bucket_name, **_location())
            say(f"{storage.bucket_name} ({name}): created")
        if name == "PICDESK_S3_PUBLIC_BUCKET":
            _give_read_policy(client, storage.bucket_name, say)
    problems = _bucket_problems()
    for problem in problems:
        say(problem)
    return not problems


def _location() -> dict:
    region = setting("PICDESK_S3_REGION")
    if setting("PICDESK_S3_ENDPOINT_URL") or region == "us-east-1":
        return {}
    return {"CreateBucketConfiguration": {"LocationConstraint": region}}


def _give_read_policy(client, bucket: str, say: Callable[[str], None]) -> None:
    try:
        client.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
        say(f"{bucket}: anyone may read its objects, nobody may list them")
    except client.exceptions.ClientError as error:
        # SeaweedFS and some others grant anonymous reads in their own configuration instead.
        say(f"{bucket}: the service refused a bucket policy ({error.response['Error'].get('Code')}); "
            "grant anonymous reads of this bucket in its own configuration (SeaweedFS: "
            "deploy/seaweedfs-s3.json)")

