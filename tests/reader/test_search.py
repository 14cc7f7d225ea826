"""Reader search over SQLite FTS5: what it finds, what it never shows."""

import pytest

from picdesk.photos.ingest import ingest_bytes
from tests.factories import make_jpeg, make_photo, make_slideshow
from tests.pages import page

pytestmark = pytest.mark.django_db


def results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def valencia():
    data = make_jpeg(
        200, 150,
        xmp={
            "Xmp.photoshop.Headline": "Floods in València",
            "Xmp.dc.description": {'lang="x-default"': "Water fills the streets of the old town."},
            "Xmp.dc.creator": ["Ana Ruiz"],
            "Xmp.photoshop.City": "València",
            "Xmp.iptcExt.PersonInImage": ["Pilar Gómez"],
            "Xmp.dc.subject": ["flood", "weather"],
        },
    )
    photo = ingest_bytes(data, "v.jpg").photo
    return make_slideshow("Storm season in Spain", photos=[make_photo("Other."), photo],
                          summary="Heavy rain across the east coast.")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("storm", "<mark>Storm</mark> season in Spain"),
        ("coast", "east <mark>coast</mark>"),
        ("streets", "<mark>streets</mark>"),
        ("Ruiz", "<mark>Ruiz</mark>"),
        ("Pilar", "<mark>Pilar</mark>"),
        ("weather", "<mark>weather</mark>"),
        ("valencia", "<mark>València</mark>"),  # diacritics do not matter
        ("flo", "<mark>Floods</mark>"),  # the last word matches as a prefix
    ],
)
def test_finds_titles_summaries_captions_people_places_keywords(client, valencia, query, expected):
    assert expected in results(client, query)


def test_photo_results_link_to_their_photo_page(client, valencia):
    html = results(client, "streets")
    assert f'href="{valencia.get_absolute_url()}2/"' in html


def test_drafts_and_their_photos_are_never_found(client):
    secret = make_photo("Secret caption about zeppelins.")
    make_slideshow("Zeppelin draft", photos=[secret], publish=False)
    make_slideshow("Embargoed zeppelins", photos=[secret], days_ago=-1)
    html = results(client, "zeppelins")
    assert "Secret caption" not in html and "Zeppelin draft" not in html and "Embargoed" not in html
    assert "Nothing found" in html


def test_matches_are_escaped(client):
    make_slideshow(photos=[make_photo('Hostile <script>alert("x")</script> payload words')])
    html = results(client, "payload")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html and "<mark>payload</mark>" in html


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(a b", "*", "a:b", "col:* ^x", "😀", "a\x00b"])
def test_query_syntax_never_breaks_the_page(client, valencia, query):
    results(client, query)


def test_the_index_follows_edits(client, valencia):
    photo = valencia.slides.get(position=2).photo
    photo.headline = "Rescue boats on the avenue"
    photo.save()
    assert "Rescue <mark>boats</mark>" in results(client, "boats")
    valencia.title = "Autumn gales"
    valencia.save()
    assert "<mark>gales</mark>" in results(client, "gales")
    assert "Storm season" not in results(client, "storm")


def test_whole_words_rank_above_prefixes_and_results_are_counted_and_dated(client):
    from picdesk.reader.search import rebuild_index

    beech = make_photo("Beech woods turn copper in autumn.", headline="Beech woods")
    bee = make_photo("A bee on an aster.", headline="A honey bee")
    show = make_slideshow("Nature", photos=[beech, bee])
    rebuild_index()
    html = page(client, "/search/?q=bee")
    assert html.index("honey <mark>bee</mark>") < html.index("<mark>Beech</mark> woods")
    assert "2 results" in html
    assert f'datetime="{show.published_at.isoformat(timespec="seconds")}"' in html


def test_what_readers_may_see_is_chosen_before_ranking(client):
    """Six hundred unpublished photos that match better than the one
    published never crowd it out of the ranked rows."""
    from picdesk.reader.search import _engine

    shown = make_photo("A zebra at the zoo.")
    make_slideshow("At the zoo", photos=[shown])
    hidden = [("photo", 10_000 + n, "zebra zebra", "zebra zebra zebra", "", "", "zebra") for n in range(600)]
    _engine().insert_many(hidden)
    html = results(client, "zebra")
    assert f'href="{shown.slides.get().get_absolute_url()}"' in html


def test_a_rebuild_in_batches_finds_what_the_live_index_found(client, valencia, monkeypatch):
    from picdesk.reader.search import rebuild_index

    queries = ["valencia", "storm", "ruiz", "other"]
    before = {q: results(client, q) for q in queries}
    monkeypatch.setattr("picdesk.core.batches.BATCH", 2)
    assert rebuild_index() >= 3
    assert {q: results(client, q) for q in queries} == before
    assert "Nothing found" not in before["valencia"]


ACCENTED_PLACES = ["Zürich", "São Paulo", "Łódź", "Straße des 17. Juni", "Æbeltoft", "Ørsted Park", "Kraków",
                   "Ðakovo", "Œuvre Hall", "Málaga", "Reykjavík"]


@pytest.fixture
def accented(client):
    photos = [make_photo(f"Crowds gather in {place}.") for place in ACCENTED_PLACES]
    return make_slideshow("Cities of Europe", photos=photos)


@pytest.mark.parametrize("query, place", [
    ("zurich", "Zürich"), ("Zürich", "Zürich"), ("ZURICH", "Zürich"), ("zür", "Zürich"),
    ("sao paulo", "São Paulo"), ("são", "São Paulo"),
    ("lodz", "Łódź"), ("Łódź", "Łódź"), ("łodz", "Łódź"),
    ("strasse", "Straße des 17. Juni"), ("straße", "Straße des 17. Juni"),
    ("aebeltoft", "Æbeltoft"), ("æbeltoft", "Æbeltoft"),
    ("orsted", "Ørsted Park"), ("ørsted", "Ørsted Park"),
    ("krakow", "Kraków"), ("dakovo", "Ðakovo"), ("oeuvre", "Œuvre Hall"),
    ("malaga", "Málaga"), ("reykjavik", "Reykjavík"),
])
def test_accents_and_letters_of_their_own_fold_on_every_database(client, accented, query, place):
    """The same twenty searches, on SQLite and on PostgreSQL (the suite runs on both)."""
    html = results(client, query)
    found = [p for p in ACCENTED_PLACES if f"{p}." in html.replace("<mark>", "").replace("</mark>", "")]
    assert found == [place]
