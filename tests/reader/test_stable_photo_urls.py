"""A photo page's address stays with its photo for the life of the slideshow:
reorders keep it, a kill or a removal leaves 410 Gone, and a number is never
given to another photo."""

import pytest

from picdesk.slideshows.kills import kill_photo
from picdesk.slideshows.publishing import add_photos, arrange_slides
from tests.factories import make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def headline_at(client, url):
    html = page(client, url)
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0], html


def test_photo_urls_survive_a_kill_a_reorder_and_a_removal(client):
    photos = [make_photo(f"Caption {name}.", headline=f"Photo {name}") for name in "ABCD"]
    show = make_slideshow("Storm", photos=photos)
    base = show.get_absolute_url()
    assert [headline_at(client, f"{base}{n}/")[0] for n in (1, 2, 3, 4)] == [f"Photo {x}" for x in "ABCD"]

    kill_photo(photos[1], "Agency kill.")
    assert client.get(f"{base}2/").status_code == 410
    headline, html = headline_at(client, f"{base}3/")
    assert headline == "Photo C" and "2 of 3" in html

    slides = {slide.photo.headline: slide for slide in show.slides.all()}
    arrange_slides(show, [slides["Photo D"].pk, slides["Photo A"].pk, slides["Photo C"].pk])
    headline, html = headline_at(client, f"{base}4/")
    assert headline == "Photo D" and "1 of 3" in html
    assert 'rel="next" href="' + f"{base}1/" + '"' in html  # A follows D now
    assert headline_at(client, f"{base}1/")[0] == "Photo A"

    add_photos(show, [make_photo("Caption E.", headline="Photo E")])
    assert headline_at(client, f"{base}5/")[0] == "Photo E"  # never the killed photo's 2
    assert client.get(f"{base}2/").status_code == 410

    arrange_slides(show, [], remove={slides["Photo C"].pk})
    assert client.get(f"{base}3/").status_code == 410
    assert client.get(f"{base}9/").status_code == 404  # never given out

    listing = page(client, base)
    for number in (4, 1, 5):
        assert f'href="{base}{number}/"' in listing and f'id="photo-{number}"' in listing
    assert f'href="{base}2/"' not in listing and f'href="{base}3/"' not in listing
