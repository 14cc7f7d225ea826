"""Near copies found through an index, not a loop over the archive.

A photo's picture hash holds four 64-bit difference hashes, one per framing
(imaging.picture_hash). Two pictures are near when some framing of one is at
most NEAR_BITS bits from some framing of the other. Each framing is cut into
NEAR_BITS + 1 bands and every band is an indexed row (``HashBand``): two
framings at most NEAR_BITS apart share at least one whole band (pigeonhole),
so the candidates for a new photo are the rows of its own bands, a few among
a million photos, and only those are compared bit by bit.

The near copies of each photo are found once, when its hash is known, and kept
as pairs (``NearCopy``): what the desk asks ("is this, or a copy of it,
already published?") is then a join, not a search.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from picdesk.photos.models import Photo

# At most this many of 64 bits apart is a near copy. The copies that wire
# photos go through (tests/photos/test_bursts.py: smaller, recompressed,
# cropped, re-exposed, softened) are at most 4 bits from their original and
# the nearest two different pictures of the corpus 16. At 4 bits two random
# hashes meet by chance about once in 10**13 comparisons, so the flags stay
# precise at a million photos (benchmarks/archive.py measures it).
NEAR_BITS = 4
BAND_WIDTHS = (13, 13, 13, 13, 12)  # NEAR_BITS + 1 bands covering 64 bits
FRAMING_BITS = 64


class HashBand(models.Model):
    """One band of one framing of a photo's picture hash."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")
    key = models.IntegerField(help_text="Which band (top bits) and its value (near_copies.band_keys).")
    framing = models.BigIntegerField(help_text="The whole 64-bit framing hash, signed, to compare candidates.")

    class Meta:
        # Covering: a lookup reads the index alone.
        indexes = [models.Index(fields=["key", "framing", "photo"], name="hash_band_lookup")]


class NearCopy(models.Model):
    """``photo`` and ``copy`` are near copies; each pair is stored both ways."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="near_copy_links")
    copy = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "copy"], name="one_near_copy_pair")]


def framings(picture_hash: str) -> list[int]:
    """The 64-bit framing hashes in a picture hash (none when it is empty)."""
    return [int(picture_hash[i:i + 16], 16) for i in range(0, len(picture_hash), 16)]


def _signed(value: int) -> int:
    return value - (1 << FRAMING_BITS) if value >= 1 << (FRAMING_BITS - 1) else value


def _unsigned(value: int) -> int:
    return value & ((1 << FRAMING_BITS) - 1)


def band_keys(framing: int) -> list[int]:
    """The index keys of one framing: band number in the top bits, its value below."""
    keys, shift = [], FRAMING_BITS
    for number, width in enumerate(BAND_WIDTHS):
        shift -= width
        keys.append(number << 13 | (framing >> shift) & ((1 << width) - 1))
    return keys


def bands_of(picture_hash: str) -> set[tuple[int, int]]:
    """(key, signed framing) for every band of every framing."""
    return {(key, _signed(f)) for f in framings(picture_hash) for key in band_keys(f)}


def is_near(ours: list[int], theirs: Iterable[int]) -> bool:
    return any((a ^ b).bit_count() <= NEAR_BITS for a in ours for b in theirs)


def find_near(picture_hash: str, exclude: int | None = None) -> set[int]:
    """Ids of the photos whose picture is near ``picture_hash``: one indexed
    lookup of its bands, then the few candidates compared bit by bit."""
    ours = framings(picture_hash)
    if not ours:
        return set()
    keys = {key for f in ours for key in band_keys(f)}
    candidates = HashBand.objects.filter(key__in=keys).exclude(photo_id=exclude).values_list("photo_id", "framing")
    return {photo_id for photo_id, framing in candidates.iterator(chunk_size=2000)
            if is_near(ours, [_unsigned(framing)])}


def unindexed() -> bool:
    """Whether photos have picture hashes but the index is empty (an
    archive from before it, or one restored)."""
    return not HashBand.objects.exists() and Photo.objects.exclude(picture_hash="").exists()


def rebuild(progress: bool | None = False) -> None:
    """The whole index and every pair afresh from the photos' picture hashes
    (a restored archive), in batches: first every band, then each photo's
    lookup."""
    from picdesk.core.batches import in_batches, progress_bar

    NearCopy.objects.all().delete()
    HashBand.objects.all().delete()
    hashed = Photo.objects.exclude(picture_hash="").values_list("pk", "picture_hash")
    total = hashed.count()
    with progress_bar(total, "indexing pictures", progress) as bar:
        for batch in in_batches(hashed):
            HashBand.objects.bulk_create(HashBand(photo_id=pk, key=k, framing=f)
                                         for pk, picture_hash in batch for k, f in bands_of(picture_hash))
            bar.update(len(batch))
    with progress_bar(total, "finding near copies", progress) as bar:
        for batch in in_batches(hashed):
            NearCopy.objects.bulk_create([NearCopy(photo_id=pk, copy_id=other) for pk, picture_hash in batch
                                          for other in find_near(picture_hash, exclude=pk)], ignore_conflicts=True)
            bar.update(len(batch))


def index_picture(photo: Photo) -> set[int]:
    """Put ``photo``'s bands in the index and link it with its near copies
    (inside the caller's transaction). Returns those copies' ids."""
    HashBand.objects.filter(photo=photo).delete()
    NearCopy.objects.filter(models.Q(photo=photo) | models.Q(copy=photo)).delete()
    if not photo.picture_hash:
        return set()
    copies = find_near(photo.picture_hash, exclude=photo.pk)
    HashBand.objects.bulk_create(HashBand(photo=photo, key=k, framing=f) for k, f in bands_of(photo.picture_hash))
    NearCopy.objects.bulk_create(
        [NearCopy(photo=photo, copy_id=other) for other in copies]
        + [NearCopy(photo_id=other, copy=photo) for other in copies],
        ignore_conflicts=True,
    )
    return copies
