"""Near copies through the band index: it finds exactly what comparing every
pair would find, on real photos and their copies, and nothing by chance."""

import random

import pytest
import pyvips

from picdesk.photos.imaging import picture_distance
from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Photo
from picdesk.photos.near_copies import NEAR_BITS, HashBand, NearCopy, find_near, index_picture
from tests.photos.test_bursts import PHOTOS, hash_of, variants

pytestmark = pytest.mark.django_db


def stored(picture_hash: str, n: int) -> Photo:
    """A photo row with this picture hash, indexed as ingest indexes it."""
    photo = Photo.objects.create(sha256=f"{n:064x}", original="x", mime_type="image/jpeg", file_size=1,
                                 width=10, height=10, picture_hash=picture_hash)
    index_picture(photo)
    return photo


def flip(picture_hash: str, bits: list[int]) -> str:
    """A one-framing hash with these bits flipped."""
    value = int(picture_hash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


def test_the_index_finds_every_copy_and_no_other_picture_over_the_225_pairs():
    originals = {p.name: pyvips.Image.new_from_file(str(p)) for p in PHOTOS}
    rows = {name: stored(hash_of(image), n) for n, (name, image) in enumerate(originals.items())}
    found_right = wrong = copies = 0
    for name, image in originals.items():
        for copy in variants(image):
            copies += 1
            found = find_near(hash_of(copy))
            found_right += rows[name].pk in found
            wrong += len(found - {rows[name].pk})
    assert copies == 8 * len(PHOTOS) and found_right == copies and wrong == 0
    # The originals themselves: none is a near copy of another.
    assert not NearCopy.objects.exists()


def test_bits_apart_anywhere_in_the_hash_are_found_up_to_the_threshold_and_not_beyond():
    rng = random.Random(7)
    base = f"{rng.getrandbits(64):016x}"  # one framing: the others would match unchanged
    original = stored(base, 1)
    for trial in range(50):
        within = rng.sample(range(64), NEAR_BITS)
        beyond = rng.sample(range(64), NEAR_BITS + 1)
        assert picture_distance(base, flip(base, within)) == NEAR_BITS
        assert find_near(flip(base, within)) == {original.pk}, within
        assert find_near(flip(base, beyond)) == set(), beyond


def test_a_new_photo_is_linked_both_ways_with_its_copies_and_its_bands_go_with_it():
    image = pyvips.Image.new_from_file(str(PHOTOS[2]))
    first = ingest_bytes(image.jpegsave_buffer(Q=90), "first.jpg").photo
    copy = ingest_bytes(image.resize(0.5).jpegsave_buffer(Q=60), "copy.jpg").photo
    other = ingest_bytes(pyvips.Image.new_from_file(str(PHOTOS[7])).jpegsave_buffer(), "other.jpg").photo
    pairs = set(NearCopy.objects.values_list("photo_id", "copy_id"))
    assert pairs == {(first.pk, copy.pk), (copy.pk, first.pk)}
    assert HashBand.objects.filter(photo=other).count() >= 5
    copy.delete()
    assert not NearCopy.objects.exists() and not HashBand.objects.filter(photo_id=copy.pk).exists()


def test_random_pictures_are_not_near_copies_of_each_other():
    rng = random.Random(11)
    photos = [stored("".join(f"{rng.getrandbits(64):016x}" for _ in range(4)), n) for n in range(300)]
    assert HashBand.objects.count() == 20 * len(photos)
    assert not NearCopy.objects.exists()


def test_an_archive_from_before_the_index_is_indexed_by_a_worker_once(settings, tmp_path):
    from picdesk.ops.server import prepare_home
    from picdesk.photos.tasks import index_near_copies

    image = pyvips.Image.new_from_file(str(PHOTOS[4]))
    first = ingest_bytes(image.jpegsave_buffer(Q=90), "first.jpg").photo
    copy = ingest_bytes(image.resize(0.5).jpegsave_buffer(Q=60), "copy.jpg").photo
    NearCopy.objects.all().delete()
    HashBand.objects.all().delete()  # as after the upgrade that brought the index
    settings.STATIC_ROOT = tmp_path / "static"
    prepare_home()  # what `picdesk serve` does first: queues the indexing, never waits for it
    assert not HashBand.objects.exists()
    assert index_near_copies.call() is True
    assert set(NearCopy.objects.values_list("photo_id", "copy_id")) == {(first.pk, copy.pk), (copy.pk, first.pk)}
    assert index_near_copies.call() is False  # done once
