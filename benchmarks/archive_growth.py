"""Growing an archive for benchmarks/archive.py: from a few real imports to a
million photos by bulk SQL, in the shape an agency's archive has.

Each new photo is a clone of one of the real ones (its original file, its
renditions' rows and sizes) with its own content hash, key, caption words,
photographer (one of 500), date taken (over 20 years), arrival time (one
every ten minutes from 2006 on) and a random picture hash. Every 25 photos
make a slideshow (one in twenty a draft, one in ten in a recurring series)
of their first 14: about 56 % of the archive published, as measured on a
real desk. The search index and the near-copy bands are filled as picdesk
fills them, in bulk.
"""

from __future__ import annotations

import random

from django.db import connection

PER_SLIDESHOW = 25
SLIDES_PER_SLIDESHOW = 14
PHOTOGRAPHERS = 500
SECONDS_APART = 600
WORDS = ("harbour parliament storm election football market festival protest flood wildfire summit "
         "village minister stadium river bridge school hospital mountain desert coast train airport "
         "museum theatre cathedral vineyard harvest drought snow marathon cyclists fishermen farmers "
         "nurses students refugees volunteers firefighters police soldiers children dancers musicians").split()
BATCH = 20_000
SLUG = "pictures-of-the-day-"  # as a recurring series' slideshows are named


def _sql(name: str, **values) -> str:
    """Engine-specific pieces of SQL: the rest is the same on both."""
    postgres = connection.vendor == "postgresql"
    pieces = {
        "pad64": "lpad(({i})::text, 64, '0')" if postgres else "printf('%064d', {i})",
        "key": "'k' || substr(md5(({i})::text), 1, 30)" if postgres else "'k' || hex(randomblob(12))",
        "date": ("to_char(date '2006-01-01' + (({i}) * 7 % 7300), 'YYYY-MM-DD')" if postgres
                 else "date('2006-01-01', '+' || (({i}) * 7 % 7300) || ' days')"),
        "at": ("timestamp with time zone '2006-01-01 00:00:00+00' + ({i}) * interval '{s} seconds'" if postgres
               else "strftime('%Y-%m-%d %H:%M:%f', '2006-01-01', '+' || (({i}) * {s}) || ' seconds')"),
        "hex16": ("lpad(to_hex(floor(random() * 4294967296)::bigint), 8, '0')"
                  " || lpad(to_hex(floor(random() * 4294967296)::bigint), 8, '0')" if postgres
                  else "printf('%016x', random())"),
    }
    return pieces[name].format(**values)


def numbers(first: int, last: int) -> str:
    return f"WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last})"


def seed_ids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM photos_photo WHERE channel <> 'bench' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def photo_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM photos_photo")
        return cursor.fetchone()[0]


def grow(target: int, progress=print) -> None:
    """Add cloned photos, their renditions, slideshows, bands and index rows
    until the archive holds ``target`` photos."""
    seeds = seed_ids()
    have = photo_count()
    while have < target:
        last = min(target, have + BATCH * 10)
        _add_photos(seeds, have + 1, last)
        progress(f"  {last:,} photos")
        have = last
    _add_renditions(seeds)
    _add_slideshows()
    _add_bands()
    _index_for_search()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # index-only scans need the visibility map
        connection.connection.autocommit = old


def _add_photos(seeds: list[int], first: int, last: int) -> None:
    words = len(WORDS)
    word = "(CASE ({i}) % {n} " + " ".join(f"WHEN {k} THEN '{w}'" for k, w in enumerate(WORDS)) + " END)"
    caption = " || ' ' || ".join(word.format(i=f"(n.i * {p})", n=words) for p in (1, 7, 13))
    columns = ("sha256, original, original_name, mime_type, file_size, width, height, orientation, public_key,"
               " placeholder, focus, imported_at, channel, killed_at, kill_reason, headline, caption, title,"
               " byline, credit, source, copyright_notice, city, sublocation, state, country_code, country,"
               " job_id, instructions, alt_text, usage_terms, digital_source_type, credentials, keywords,"
               " persons_shown, date_created, camera_time, camera_serial, picture_hash, metadata_sources")
    hash4 = " || ".join([_sql("hex16")] * 4)
    select = (
        f"{_sql('pad64', i='n.i')}, t.original, t.original_name, t.mime_type, t.file_size, t.width, t.height,"
        f" t.orientation, {_sql('key', i='n.i')}, t.placeholder, t.focus, {_sql('at', i='n.i', s=SECONDS_APART)},"
        f" 'bench', NULL, '', t.headline, {caption} || '. ' || t.caption, t.title,"
        f" 'Photographer ' || (n.i % {PHOTOGRAPHERS}), t.credit, t.source, t.copyright_notice, t.city,"
        f" t.sublocation, t.state, t.country_code, t.country, t.job_id, t.instructions, t.alt_text,"
        f" t.usage_terms, t.digital_source_type, t.credentials, t.keywords, t.persons_shown,"
        f" {_sql('date', i='n.i')}, '', '', {hash4}, t.metadata_sources"
    )
    template = "CASE n.i % {} {} END".format(
        len(seeds), " ".join(f"WHEN {k} THEN {pk}" for k, pk in enumerate(seeds)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{numbers(first, last)} INSERT INTO photos_photo ({columns})"
            f" SELECT {select} FROM n JOIN photos_photo t ON t.id = {template}"
        )


def _add_renditions(seeds: list[int]) -> None:
    """The seed's rendition rows for every clone without any: the same files
    and sizes, which is what the pages and the checks read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO photos_rendition (photo_id, width, height, format, crop, file, file_size, created_at, public)"
            " SELECT p.id, r.width, r.height, r.format, r.crop, r.file, r.file_size, r.created_at, r.public"
            " FROM photos_photo p JOIN photos_photo t ON t.original = p.original AND t.channel <> 'bench'"
            " JOIN photos_rendition r ON r.photo_id = t.id AND r.crop = ''"
            " WHERE p.channel = 'bench' AND p.id > (SELECT coalesce(max(photo_id), 0) FROM photos_rendition)"
        )


def _add_slideshows() -> None:
    """One slideshow per PER_SLIDESHOW cloned photos not yet in one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(p.id), 0) FROM photos_photo p JOIN slideshows_slide s ON s.photo_id = p.id"
                       " WHERE p.channel = 'bench'")
        done = cursor.fetchone()[0]
        cursor.execute("SELECT min(id), max(id) FROM photos_photo WHERE channel = 'bench' AND id > %s", [done])
        low, high = cursor.fetchone()
        if low is None:
            return
        cursor.execute("INSERT INTO slideshows_series (name, slug) SELECT 'Pictures of the day',"
                       " 'pictures-of-the-day' WHERE NOT EXISTS (SELECT 1 FROM slideshows_series)")
        cursor.execute("SELECT min(id) FROM slideshows_series")
        series = cursor.fetchone()[0]
        at = _sql("at", i=f"(n.i + {PER_SLIDESHOW})", s=SECONDS_APART)  # after its last photo
        cursor.execute(
            f"{numbers(low, high - PER_SLIDESHOW + 1)}"
            " INSERT INTO slideshows_slideshow (title, slug, summary, series_id, status, published_at,"
            " first_published_at, cover_id, created_at, updated_at, numbered_slides)"
            f" SELECT 'Pictures of the day ' || n.i, '{SLUG}' || n.i, 'The day in pictures.',"
            f" CASE WHEN n.i % 10 = 0 THEN {series} END,"
            f" CASE WHEN n.i % 20 = 7 THEN 'draft' ELSE 'published' END, {at}, {at}, NULL, {at}, {at},"
            f" {SLIDES_PER_SLIDESHOW} FROM n WHERE (n.i - {low}) % {PER_SLIDESHOW} = 0"
        )
        cursor.execute(
            "INSERT INTO slideshows_slide (slideshow_id, photo_id, position, number, caption)"
            " SELECT s.id, p.id, p.id - s.first + 1, p.id - s.first + 1, ''"
            f" FROM (SELECT id, CAST(substr(slug, {len(SLUG) + 1}) AS integer) AS first FROM slideshows_slideshow"
            f"       WHERE slug LIKE '{SLUG}%%' AND numbered_slides = %s"
            "       AND NOT EXISTS (SELECT 1 FROM slideshows_slide x WHERE x.slideshow_id = slideshows_slideshow.id)) s"
            " JOIN photos_photo p ON p.id >= s.first AND p.id < s.first + %s",
            [SLIDES_PER_SLIDESHOW, SLIDES_PER_SLIDESHOW],
        )


def _add_bands() -> None:
    """The near-copy index's rows, computed in Python as picdesk does."""
    from picdesk.photos.near_copies import bands_of

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(photo_id), 0) FROM photos_hashband")
        last = cursor.fetchone()[0]
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, picture_hash FROM photos_photo WHERE id > %s AND picture_hash <> ''"
                           " ORDER BY id LIMIT %s", [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            bands = [(pk, key, framing) for pk, h in rows for key, framing in bands_of(h)]
            if connection.vendor == "postgresql":  # COPY: a million photos' bands in a minute
                with cursor.connection.cursor().copy("COPY photos_hashband (photo_id, key, framing) FROM STDIN") as copy:
                    for band in bands:
                        copy.write_row(band)
            else:
                cursor.executemany("INSERT INTO photos_hashband (photo_id, key, framing) VALUES (%s, %s, %s)", bands)
        last = rows[-1][0]


def _index_for_search() -> None:
    columns = ("'photo', id, headline, caption, byline, trim(sublocation || ' ' || city || ' ' || state || ' ' ||"
               " country), ''")
    where = "WHERE id > (SELECT coalesce(max(object_id), 0) FROM reader_search WHERE kind = 'photo')"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from picdesk.reader.search.postgres import CONFIG

            document = (f"setweight(to_tsvector('{CONFIG}', title), 'A')"
                        f" || setweight(to_tsvector('{CONFIG}', people || ' ' || places || ' ' || keywords), 'B')"
                        f" || setweight(to_tsvector('{CONFIG}', body), 'C')")
            cursor.execute("INSERT INTO reader_search (kind, object_id, title, body, people, places, keywords)"
                           f" SELECT {columns} FROM photos_photo {where}")
            cursor.execute(f"UPDATE reader_search SET document = {document} WHERE document IS NULL")
        else:
            cursor.execute("INSERT INTO reader_search (kind, object_id, title, body, people, places, keywords)"
                           f" SELECT {columns} FROM photos_photo {where}")
        cursor.execute(
            "INSERT INTO reader_search (kind, object_id, title, body, people, places, keywords)"
            " SELECT 'slideshow', id, title, summary, '', '', '' FROM slideshows_slideshow"
            " WHERE id > (SELECT coalesce(max(object_id), 0) FROM reader_search WHERE kind = 'slideshow')"
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE reader_search SET document = {document} WHERE document IS NULL")


def random_hash(rng: random.Random) -> str:
    return "".join(f"{rng.getrandbits(64):016x}" for _ in range(4))
