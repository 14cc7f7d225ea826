"""URL path converters. ``number`` is Django's ``int`` bounded to nine
digits: a longer number (``/pictures/99999999999999999999/1/``) matches no
URL and is a plain 404, where ``int`` would pass it on to a query or a date
that cannot hold it (a 500)."""


class Number:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
