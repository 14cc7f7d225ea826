"""schemathesis checks the API against its own OpenAPI description: generated
requests for every operation, every response validated (status codes, content
types, bodies against the described schemas, no server errors)."""

import pytest
import schemathesis
from schemathesis import GenerationMode
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from picdesk.ops.demo.build import build_demo
from picdesk.wsgi import application

pytestmark = pytest.mark.django_db

# schemathesis' own pytest plugin does not yet run under pytest 9: its
# strategies are driven with Hypothesis directly, one test per operation.
# Writes are generated without a token here (schemathesis checks the 401s);
# tests/api/test_writes.py exercises them with real images and a token.
OPERATIONS = ["listSlideshows", "getSlideshow", "getPhoto", "getCredentials", "getOriginal", "createSlideshow", "uploadPhoto"]


@pytest.fixture
def api():
    build_demo()
    # As Django's test client does: the handler must not close the test's
    # database connection (and with it the transaction) after each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_is_tested(api):
    found = {result.ok().definition.raw["operationId"] for result in api.get_all_operations()}
    assert found == set(OPERATIONS)


# Every operation but two, whose only input is a photo key (any text):
# nothing of theirs can be outside the description.
CONSTRAINED = [name for name in OPERATIONS if name not in ("getCredentials", "getOriginal")]
CASES = [(name, GenerationMode.POSITIVE) for name in OPERATIONS] + [
    (name, GenerationMode.NEGATIVE) for name in CONSTRAINED]


@pytest.mark.parametrize("operation_id, mode", CASES, ids=[f"{name}-{mode.value}" for name, mode in CASES])
def test_operation_matches_its_description(api, operation_id, mode):
    """Valid requests are taken, and requests outside the description
    (negative data: a series that is not a slug, a cursor of another form)
    are refused."""
    operation = api.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        case.call_and_validate()  # every check, none excluded

    check()


@pytest.mark.parametrize("method", ["QUERY", "PROPFIND", "PUT", "DELETE"])
def test_a_method_no_view_takes_is_405_with_allow(client, method):
    from tests.factories import make_slideshow

    show = make_slideshow("Methods")
    key = show.slides.first().photo.public_key
    for url, allowed in [(f"/api/v1/slideshows/{show.slug}", "GET, HEAD"), ("/api/v1/slideshows", "GET, HEAD, POST"),
                         (f"/api/v1/photos/{key}", "GET, HEAD"), (f"/api/v1/photos/{key}/credentials", "GET, HEAD"),
                         ("/api/v1/photos", "POST")]:
        response = client.generic(method, url)
        assert response.status_code == 405 and response["Allow"] == allowed, (method, url)
