"""Search tests run on the Whoosh backend, with its index in this test's temporary folder."""
import pytest


@pytest.fixture
def app(new_app):
    return new_app(SEARCH_BACKEND="whoosh")


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
