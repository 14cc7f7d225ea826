"""The slideshow builder: details, order, captions for this slideshow only."""

import pytest

from picdesk.slideshows.models import Slideshow
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def _details(show, **changes):
    values = {"title": show.title, "slug": show.slug, "summary": show.summary,
              "series": show.series_id or "", "cover": show.cover_id or ""}
    return {**values, **changes}


@pytest.fixture
def show():
    photos = [make_photo(f"Caption {n}.") for n in range(1, 4)]
    return make_slideshow("Harbour", photos=photos, publish=False)


def _order(show):
    return [slide.photo.caption for slide in show.slides.select_related("photo")]


def test_reorder_by_the_order_sent_and_by_move_buttons(editor, show):
    slides = list(show.slides.all())
    order = [slides[2].pk, slides[0].pk, slides[1].pk]
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), "order": order})
    assert _order(show) == ["Caption 3.", "Caption 1.", "Caption 2."]
    # Without JavaScript "Down" submits the form with the order as shown.
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), "order": order, "move": f"{slides[2].pk}:down"})
    assert _order(show) == ["Caption 1.", "Caption 3.", "Caption 2."]


def test_a_caption_edited_here_is_this_slideshows_only(editor, show):
    first = show.slides.first()
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), f"caption-{first.pk}": "Just here."})
    first.refresh_from_db()
    first.photo.refresh_from_db()
    assert first.display_caption == "Just here."
    assert first.photo.caption == "Caption 1."
    # Setting it back to the photo's own caption removes the override.
    first.photo.caption = "Caption 1.\nSecond line."
    first.photo.save()
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), f"caption-{first.pk}": "Caption 1.\r\nSecond line.\r\n"})
    first.refresh_from_db()
    assert first.caption == ""


def test_remove_and_cover(editor, show):
    slides = list(show.slides.all())
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show, cover=slides[2].photo_id), "remove": [slides[0].pk]})
    show.refresh_from_db()
    assert _order(show) == ["Caption 2.", "Caption 3."]
    assert [s.position for s in show.slides.all()] == [1, 2]
    assert show.cover_slide().photo_id == slides[2].photo_id


def test_the_slug_is_editable_until_first_publication(editor, show):
    editor.post(f"/desk/slideshows/{show.pk}/", _details(show, slug="harbour-at-dawn"))
    show.refresh_from_db()
    assert show.slug == "harbour-at-dawn"
    editor.post(f"/desk/slideshows/{show.pk}/", _details(show, slug="", title="Harbour at night"))
    show.refresh_from_db()
    assert show.slug == "harbour-at-night"
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {"confirm": "True"})
    editor.post(f"/desk/slideshows/{show.pk}/", _details(show, slug="something-else", title="Renamed"))
    show.refresh_from_db()
    assert show.title == "Renamed" and show.slug == "harbour-at-night"


def test_a_slug_taken_by_another_slideshow_is_refused(editor, show):
    other = make_slideshow("Other", publish=False)
    page = editor.post(f"/desk/slideshows/{show.pk}/", _details(show, slug=other.slug))
    assert "Another slideshow has this address" in page.content.decode()
    assert Slideshow.objects.get(pk=show.pk).slug == "harbour"


def test_preview_is_the_reader_page_for_desk_eyes_only(editor, show, client):
    preview = editor.get(f"/desk/slideshows/{show.pk}/preview/")
    html = preview.content.decode()
    assert preview.status_code == 200 and "<h1>Harbour</h1>" in html and "Caption 2." in html
    assert "no-store" in preview["Cache-Control"] and preview["X-Robots-Tag"].startswith("noindex")
    assert client.get(show.get_absolute_url()).status_code == 404


def test_the_chosen_cover_leads_the_card_until_removed(editor, show, client):
    slides = list(show.slides.select_related("photo"))
    chosen, first = slides[2].photo, slides[0].photo
    editor.post(f"/desk/slideshows/{show.pk}/", _details(show, cover=chosen.pk))
    editor.post(f"/desk/slideshows/{show.pk}/publish/", {"confirm": "True"})
    card = client.get("/").content.decode()
    assert chosen.public_key in card and first.public_key not in card
    show.refresh_from_db()
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), "remove": [slides[2].pk]})
    show.refresh_from_db()
    assert show.cover_id is None
    card = client.get("/").content.decode()
    assert first.public_key in card and chosen.public_key not in card


def test_headlines_are_edited_inline_and_warnings_link_to_their_photo(editor, show):
    first = show.slides.first()
    html = editor.get(f"/desk/slideshows/{show.pk}/").content.decode()
    assert f'id="slide-{first.pk}"' in html and f'href="#slide-{first.pk}">Photo 1:' in html
    editor.post(f"/desk/slideshows/{show.pk}/", {**_details(show), f"headline-{first.pk}": "Harbour at dawn"})
    first.photo.refresh_from_db()
    assert first.photo.headline == "Harbour at dawn" and first.photo.metadata_sources["headline"] == "edited"
