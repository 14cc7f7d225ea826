"""Helpers for tests of reader pages, and the set of pages that the
accessibility and HTML validity checks visit."""

from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


def page(client, url: str, status: int = 200) -> str:
    """The HTML of ``url``, which must answer ``status``."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def node_tool(relative: str) -> Path:
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm install` in the repository (.ci/run does)")
    return path


def reader_urls() -> dict[str, str]:
    """One of each kind of reader page, over the demo's slideshows."""
    from picdesk.ops.demo.build import build_demo
    from picdesk.slideshows.models import Series, Slideshow

    build_demo()
    show = Slideshow.objects.live().get(title__startswith="Autumn light")
    series = Series.objects.get()
    # One photo labelled, as a file whose XMP names it AI-generated would be:
    # every page then shows a label and a Content Credentials disclosure.
    labelled = show.slides.get(number=2).photo
    labelled.digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    labelled.save()
    withdrawn = _withdraw_a_photo_elsewhere(show)
    return {
        "home": "/",
        "slideshow": show.get_absolute_url(),
        "photo": f"{show.get_absolute_url()}2/",
        "series": f"/pictures/series/{series.slug}/",
        "all series": "/pictures/series/",
        "archive": f"/pictures/{show.published_at:%Y/%m}/",
        "archive index": "/pictures/archive/",
        "search": "/search/?q=spain",
        "search form": "/search/",
        "not found": "/pictures/no-such-slideshow/",
        "withdrawn": withdrawn,
    }


def _withdraw_a_photo_elsewhere(show) -> str:
    """Kill a photo of another slideshow than ``show``: its page's address."""
    from picdesk.slideshows.kills import kill_photo
    from picdesk.slideshows.models import Slide, Slideshow

    kept = show.slides.values("photo_id")
    slide = Slide.objects.filter(slideshow__in=Slideshow.objects.live()).exclude(photo_id__in=kept).first()
    url = slide.get_absolute_url()
    kill_photo(slide.photo, "Withdrawn by the agency.")
    return url


# The reader pages that answer an error on purpose: styled, but not for
# Lighthouse's SEO audit, which fails any page that is not a 200.
ERROR_PAGES = {"not found": 404, "withdrawn": 410}


def status_of(name: str) -> int:
    return ERROR_PAGES.get(name, 200)


def hostile_reader_urls() -> dict[str, str]:
    """Reader pages of a slideshow whose every text is one long unbroken
    word, as the hostile-input tests use, with a file name for a headline."""
    from tests.factories import make_photo, make_slideshow

    word = "Ü" + "x" * 400
    photo = make_photo(f"{word} {word}", headline=f"Benchmark corpus photo forensics__IMG_{'9' * 200}.jpg",
                       byline=word, credit=word)
    photo.city = photo.country = word
    photo.date_created = "2026-11-30"
    photo.save()
    show = make_slideshow(word[:200], photos=[photo, make_photo("Second.")], summary=word)
    return {
        "home": "/",
        "slideshow": show.get_absolute_url(),
        "photo": f"{show.get_absolute_url()}1/",
        "search": f"/search/?q={word[:100]}",
        "archive": f"/pictures/{show.published_at:%Y/%m}/",
    }


from tests.conftest import DESK_PASSWORD  # noqa: E402


def desk_urls() -> dict[str, str]:
    """One of each kind of desk page, over the demo's photos and slideshows,
    and an admin, "ada", who may see them all."""
    from picdesk.ops.demo.build import build_demo
    from picdesk.core.roles import create_user
    from picdesk.photos.models import Photo
    from picdesk.photos.rights import RightsLease
    from picdesk.slideshows.deliveries import Delivery, Subscriber
    from picdesk.slideshows.kills import kill_photo
    from picdesk.slideshows.models import Series, Slideshow

    build_demo()
    create_user("ada", DESK_PASSWORD, "admin")
    Series.objects.get_or_create(name="Photos of the week")
    photos = list(Photo.objects.all()[:3])
    kill_photo(photos[2], "Agency kill.")
    photos[0].digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/composite"
    photos[0].credentials = {"state": "invalid", "problems": ["assertion.dataHash.mismatch: data hash mismatch"],
                             "signer": "Test Agency", "actions": [{"action": "c2pa.created", "name": "created"}]}
    photos[0].instructions = "EMBARGOED until 18:00 GMT"
    photos[0].save()
    RightsLease.objects.create(photo=photos[0], access="allow", note="Licensed for the UK only")
    partner = Subscriber.objects.create(name="Partner", url="https://partner.example/hook", secret="s")
    Delivery.objects.create(subscriber=partner, event="published", slideshow=Slideshow.objects.first(),
                            item="/api/v1/slideshows/x", attempts=2, last_error="the receiver answered 500")
    show = Slideshow.objects.first()
    return {
        "contact sheet": "/desk/",
        "upload": "/desk/upload/",
        "photo": f"/desk/photos/{photos[0].pk}/",
        "bulk edit": f"/desk/photos/bulk/?ids={photos[0].pk},{photos[1].pk}",
        "slideshows": "/desk/slideshows/",
        "builder": f"/desk/slideshows/{show.pk}/",
        "series": "/desk/series/",
        "account": "/desk/account/",
        "users": "/desk/users/",
        "routing": "/desk/routing/",
        "quarantine": "/desk/quarantine/",
        "codes": "/desk/codes/",
        "templates": "/desk/templates/",
        "names": "/desk/names/",
        "restrictions": "/desk/restrictions/",
        "deliveries": "/desk/deliveries/",
        "subscribers": "/desk/subscribers/",
        "filtered sheet": "/desk/?rating=1&class=1&pick=picked",
    }
