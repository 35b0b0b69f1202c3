"""Search behaviour tests run on every backend the test database allows.

Whoosh always (its index in this test's temporary folder); PostgreSQL as well when the
suite runs on PostgreSQL (EXCHANGE_TEST_DATABASE_URL). Tests of one backend's machinery
(writer locks, rebuild generations) ask for their backend by name.
"""
import pytest

from tests.conftest import POSTGRES_URL

BACKENDS = ["whoosh"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(new_app, backend):
    return new_app(SEARCH_BACKEND=backend)


@pytest.fixture
def publish(make):
    """Publishes an article (indexed after its commit) and returns it."""

    def publish_article(title="A practice", body="Some text.", **fields):
        return make.article(title=title, body=body, **fields)

    return publish_article


def search(client, **args):
    """The API's answer to a search."""
    response = client.get("/api/v1/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def slugs(answer) -> list[str]:
    return [result["slug"] for result in answer["results"]]
