"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json.

Kept beside the views it describes; tests/api/test_openapi.py runs schemathesis
against it, so a change to either that makes the description untrue fails.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from picdesk.api.views import SERIES_SLUG
from picdesk.api.writes import MAX_PHOTOS, MAX_SUMMARY, MAX_TITLE

NINJS = {
    "type": "object",
    "required": ["uri"],
    "description": "An IPTC ninjs document (https://iptc.org/std/ninjs/), 2.2 unless 3.1 is asked for; "
    "the test suite validates every one against IPTC's schema of its version.",
}
_TEXT = {"type": "string"}
CREDENTIALS = {
    "type": "object",
    "description": "What the reader pages' Content Credentials disclosure says, and the original's "
    "C2PA manifest as validated on import (offline, against PICDESK_C2PA_TRUST_ANCHORS).",
    "required": ["label", "source_type", "captured_by", "original_state", "published_by", "changes"],
    "properties": {
        "label": {**_TEXT, "description": "AI-generated, Composite, ...; empty for an ordinary photograph"},
        "source_type": {**_TEXT, "description": "IPTC Digital Source Type URI, or empty"},
        "source_type_name": _TEXT, "captured_by": _TEXT,
        "camera": {**_TEXT, "description": "What made the original's manifest, once it verifies; else empty"},
        "original_signer": {**_TEXT, "description": "Who signed the original, once its manifest verifies; else empty"},
        "claimed_camera": {**_TEXT, "description": "What a manifest that failed validation claims made it"},
        "claimed_signer": {**_TEXT, "description": "Who a manifest that failed validation claims signed it"},
        "original_state": {"enum": ["trusted", "untrusted", "invalid", "none"]},
        "original_verdict": _TEXT,
        "published_by": {**_TEXT, "description": "Who signs the renditions; empty when they are not signed"},
        "changes": {"type": "array", "items": _TEXT},
        "original_actions": {"type": "array", "items": {"type": "object"},
                             "description": "The original manifest's actions, once it verifies; else empty"},
        "original_ingredients": {"type": "array", "items": {"type": "object"},
                                 "description": "The original manifest's ingredients, once it verifies; else empty"},
        "claimed_actions": {"type": "array", "items": {"type": "object"},
                            "description": "The actions a manifest that failed validation claims"},
        "claimed_ingredients": {"type": "array", "items": {"type": "object"},
                                "description": "The ingredients a manifest that failed validation claims"},
        "original_problems": {"type": "array", "items": _TEXT},
    },
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
DATE_OR_TIME = {
    "description": "YYYY-MM-DD or an ISO 8601 date-time (UTC unless it names an offset)",
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
}


def _query(name: str, description: str, schema=None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: dict, media_type: str = "application/json") -> dict:
    return {"content": {media_type: {"schema": schema}}}


NOT_FOUND = {"description": "No such live item", **_json(ERROR)}
NINJS_VERSION = _query("ninjs", "the ninjs version of the documents: 2.2 (the default) or 3.1; an Accept of "
                       "`application/ninjs+json; version=3` asks for 3.1 too", {"enum": ["2", "2.2", "3", "3.1"]})
NOT_ACCEPTABLE = {"description": "A ninjs version this API does not make", **_json(ERROR)}


def _ninjs_lookup(operation_id: str, summary: str, key: str, found: dict) -> dict:
    """A ``_lookup`` whose document comes in the ninjs version asked for."""
    lookup = _lookup(operation_id, summary, key, found)
    lookup["get"]["parameters"].append(NINJS_VERSION)
    lookup["get"]["responses"]["406"] = NOT_ACCEPTABLE
    return lookup


def _lookup(operation_id: str, summary: str, key: str, found: dict) -> dict:
    """A GET of one live item by ``key``: ``found`` (200), else 404."""
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": [_path(key)],
                    "responses": {"200": found, "404": NOT_FOUND}}}


def _for_its_sender(lookup: dict) -> dict:
    """A lookup of a photo that also answers the token that uploaded it
    before the photo is live (never cached); 401 for an unusable token."""
    lookup["get"]["security"] = [{}, {"token": []}]
    lookup["get"]["responses"]["401"] = UNAUTHORIZED
    return lookup


def _photo() -> dict:
    return _for_its_sender(_ninjs_lookup(
        "getPhoto", "One photo of a live slideshow, as a ninjs picture; to the token that uploaded it, "
        "also before it is live (`pubstatus` withheld, no renditions)", "key",
        {"description": "The photo", **_json(NINJS, "application/ninjs+json")},
    ))


def _original() -> dict:
    lookup = _lookup(
        "getOriginal", "Where its terms allow reuse, a copy of the original: its pixels untouched, no private "
        "metadata, the desk's caption and credit written in. With a token of the `read` scope, the original "
        "itself (of a photo the token uploaded, also before it is live).", "key",
        {"description": "The image file", "content": {"image/*": {}}},
    )
    lookup["get"]["security"] = [{}, {"token": []}]
    lookup["get"]["responses"].update({
        "401": UNAUTHORIZED,
        "403": {"description": "Its terms do not allow reuse, or the token lacks the `read` scope",
                **_json(ERROR)},
        "429": {"description": "Over PICDESK_ORIGINAL_RATE a minute", **_json(ERROR)},
    })
    return lookup


UNAUTHORIZED = {"description": "No valid bearer token (unknown, revoked or expired)", **_json(ERROR)}
FORBIDDEN = {"description": "The token lacks the scope this needs", **_json(ERROR)}
BAD_REQUEST = {"description": "The request cannot be taken; `error` says why", **_json(ERROR)}
NEW_SLIDESHOW = {
    "type": "object",
    "required": ["title", "photos"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE, "pattern": r"\S",
                  "description": "more than spaces: it is stripped"},
        "photos": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
                   "description": f"photo keys, as the photo upload returns them in `uri`; repeats are "
                                  f"dropped, and at most {MAX_PHOTOS} different ones are taken"},
        "summary": {"type": "string", "maxLength": MAX_SUMMARY},
        "publish": {"type": "boolean"},
        "published_at": DATE_OR_TIME,
        "confirm_restrictions": {"type": "boolean", "description": (
            "an editor has checked the photos' restrictions that ask for confirmation before publication")},
    },
}
CREATED_SLIDESHOW = {
    "type": "object",
    "required": ["slug", "status", "published_at", "url"],
    "properties": {"slug": {"type": "string"}, "status": {"enum": ["draft", "published"]},
                   "published_at": {"type": "string"}, "url": {"type": "string"}},
}

DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {
        "title": "picdesk API",
        "version": "1.0.0",
        "description": "Published slideshows and their photos as IPTC ninjs 2.2. "
        "Drafts, embargoed slideshows and photos used only in them are never returned.",
    },
    "components": {
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "made by `picdesk tokens create NAME --scope …`: scopes read, upload, publish"}
        }
    },
    "paths": {
        "/api/v1/slideshows": {
            "get": {
                "operationId": "listSlideshows",
                "summary": "Live slideshows, newest first, 20 a page",
                "parameters": [
                    _query("since", "published at or after", DATE_OR_TIME),
                    _query("until", "published before", DATE_OR_TIME),
                    _query("updated_since", "changed at or after", DATE_OR_TIME),
                    _query("series", "a series' slug", {"type": "string", "pattern": SERIES_SLUG.pattern}),
                    _query("cursor", "opaque: only values from a previous page's `next` "
                           "are accepted, anything else answers 400", {"type": "string", "pattern": "^[0-9]{1,16}[.][0-9]{1,18}$"}),
                    NINJS_VERSION,
                ],
                "responses": {
                    "200": {
                        "description": "A page of slideshows",
                        **_json({
                            "type": "object",
                            "required": ["items", "next"],
                            "properties": {
                                "items": {"type": "array", "items": NINJS},
                                "next": {"type": ["string", "null"], "format": "uri"},
                            },
                        }),
                    },
                    "400": {"description": "A parameter is malformed", **_json(ERROR)},
                    "406": NOT_ACCEPTABLE,
                },
            },
            "post": {
                "operationId": "createSlideshow",
                "summary": "A new slideshow of uploaded photos (a draft unless `publish`)",
                "security": [{"token": []}],
                "requestBody": {"required": True, **_json(NEW_SLIDESHOW)},
                "responses": {
                    "201": {"description": "Made", **_json(CREATED_SLIDESHOW)},
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": FORBIDDEN,
                    "404": {"description": "No photo has one of the keys; `error` names them", **_json(ERROR)},
                    "409": {"description": "A photo's rights forbid publishing it, or ask for "
                                           "`confirm_restrictions`; `error` names each and why", **_json(ERROR)},
                    "429": {"description": "Over PICDESK_API_WRITE_RATE a minute", **_json(ERROR)},
                },
            },
        },
        "/api/v1/photos": {
            "post": {
                "operationId": "uploadPhoto",
                "summary": "Upload one photo (the same ingest as `picdesk import`)",
                "security": [{"token": []}],
                "parameters": [_query("name", "the file's name, kept as a label")],
                "requestBody": {
                    "required": True,
                    "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {
                    "201": {"description": "Imported, `pubstatus` withheld until the photo is in a live "
                                           "slideshow. Its `uri` answers this token before then, everyone "
                                           "after", **_json(NINJS)},
                    "200": {"description": "The same bytes were imported before", **_json(NINJS)},
                    "400": BAD_REQUEST,
                    "401": UNAUTHORIZED,
                    "403": FORBIDDEN,
                    "411": {"description": "A chunked body: send a Content-Length", **_json(ERROR)},
                    "413": {"description": "Over PICDESK_MAX_UPLOAD_BYTES", **_json(ERROR)},
                    "429": {"description": "Over PICDESK_API_WRITE_RATE a minute", **_json(ERROR)},
                    "507": {"description": "Disk full: nothing of the file was kept; send it again later",
                            **_json(ERROR)},
                },
            }
        },
        "/api/v1/slideshows/{slug}": _ninjs_lookup(
            "getSlideshow", "One live slideshow: a composite whose associations are its photos", "slug",
            {"description": "The slideshow", **_json(NINJS, "application/ninjs+json")},
        ),
        "/api/v1/photos/{key}": _photo(),
        "/api/v1/photos/{key}/credentials": _for_its_sender(_lookup(
            "getCredentials", "The photo's provenance: Content Credentials and Digital Source Type", "key",
            {"description": "The facts", **_json(CREDENTIALS)},
        )),
        "/api/v1/photos/{key}/original": _original(),
    },
}


@require_safe
def description(request):
    return JsonResponse(DESCRIPTION)
