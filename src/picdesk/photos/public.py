"""The public bucket: where readers fetch the renditions of live photos
straight from object storage or a CDN in front of it, never through Python.

Why a bucket of its own rather than presigned URLs or a public prefix: the
private bucket (originals, every rendition, quarantine) stays closed to
anonymous requests whatever its keys, and the public one holds nothing but
copies of renditions of photos in a live slideshow. Nobody who guesses a key
can reach a draft, an embargoed or a killed picture there, because it is not
there. Reader pages keep stable, cacheable URLs (presigned ones expire);
desk previews of unpublished photos get short-lived presigned URLs instead.

Configured by PICDESK_S3_PUBLIC_BUCKET (and PICDESK_MEDIA_URL for a CDN);
without it every function here does nothing and picdesk serves renditions
itself under /media/r/.

A rendition row's ``public`` flag says a copy is in the public bucket. The
slideshows layer decides which photos are live (``slideshows.exposure``);
this module copies and deletes.
"""

from __future__ import annotations

from django.core.files.storage import Storage, default_storage, storages

from picdesk.core.caching import photo_key
from picdesk.core.config import setting
from picdesk.core.metrics import PUBLIC_COPY_FAILURES
from picdesk.photos.spec import MIME_TYPES
from picdesk.photos.storage_names import public_name_of

PUBLIC = "public"  # the STORAGES alias (settings.py)


def public_storage() -> Storage | None:
    """The public bucket's storage; None on a site without one."""
    return storages[PUBLIC] if setting("PICDESK_S3_PUBLIC_BUCKET") else None


def public_base_url() -> str:
    """The URL every public name is appended to: PICDESK_MEDIA_URL (a CDN), or
    the bucket itself, path-style, at the S3 endpoint."""
    if base := setting("PICDESK_MEDIA_URL"):
        return base if base.endswith("/") else base + "/"
    bucket = setting("PICDESK_S3_PUBLIC_BUCKET")
    endpoint = setting("PICDESK_S3_ENDPOINT_URL") or f"https://s3.{setting('PICDESK_S3_REGION')}.amazonaws.com"
    return f"{endpoint.rstrip('/')}/{bucket}/"


def expose(renditions) -> int:
    """Copy ``renditions`` (of live photos) into the public bucket, those not
    there yet; returns how many were copied."""
    public = public_storage()
    if public is None:
        return 0
    from picdesk.photos.models import Rendition

    copied = []
    for rendition in renditions:
        if rendition.public:
            continue
        try:
            _copy(public, rendition.file, public_name_of(rendition), MIME_TYPES[rendition.format],
                  photo_key(rendition.photo_id))
        except Exception:  # whatever the S3 client raises: counted, and the task is retried
            PUBLIC_COPY_FAILURES.inc()
            Rendition.objects.filter(pk__in=copied).update(public=True)
            raise
        copied.append(rendition.pk)
    Rendition.objects.filter(pk__in=copied).update(public=True)
    return len(copied)


def _copy(public: Storage, name: str, public_name: str, content_type: str, surrogate_key: str) -> None:
    """Copy the private ``name`` to the public ``public_name``: inside the S3
    service where both buckets are on one (no byte passes through here),
    else through this process. The object carries its photo's surrogate key
    as metadata (``x-amz-meta-surrogate-key``), for a CDN in front of the
    bucket to purge it by key as picdesk's other documents are."""
    private = default_storage
    if _same_service(private, public):
        public.connection.meta.client.copy_object(
            Bucket=public.bucket_name, Key=public_name, CopySource={"Bucket": private.bucket_name, "Key": name},
            ContentType=content_type, CacheControl=public.object_parameters["CacheControl"],
            Metadata={"surrogate-key": surrogate_key}, MetadataDirective="REPLACE",
        )
        return
    with private.open(name, "rb") as content:
        # S3 storages send a file's content_type as the object's Content-Type
        # (Python's mimetypes knows no AVIF), and overwrite an existing name.
        content.content_type = content_type
        public.save(public_name, content)


def _same_service(private: Storage, public: Storage) -> bool:
    s3 = ("bucket_name", "endpoint_url", "access_key")
    return all(hasattr(private, a) for a in s3) and all(getattr(private, a) == getattr(public, a) for a in s3[1:])


def withdraw(renditions) -> int:
    """Delete the public copies of ``renditions`` now; returns how many."""
    public = public_storage()
    if public is None:
        return 0
    from picdesk.photos.models import Rendition

    gone = [r for r in renditions if r.public]
    for rendition in gone:
        public.delete(public_name_of(rendition))
    Rendition.objects.filter(pk__in=[r.pk for r in gone]).update(public=False)
    return len(gone)


def delete_public_copies(names: list[str]) -> None:
    """Delete public copies by name (renditions whose rows are gone already)."""
    if public := public_storage():
        for name in names:
            public.delete(name)
