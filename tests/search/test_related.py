"""Related practices: beside every article and at GET /api/v1/articles/{slug}/related, on every backend."""
import re

from exchange.articles.models import Article
from exchange.articles.services import archive
from exchange.db import db
from tests.conftest import PASSWORD, bearer
from tests.endorsements.helpers import counting_statements

BINS = ("Missed bin collections fell after we put sensors on refuse lorries. Crews logged missed bins "
        "on tablets, residents reported missed collections online, and the depot rerouted lorries.")


def related(client, slug, headers=None, status=200) -> list[str]:
    response = client.get(f"/api/v1/articles/{slug}/related", headers=headers or {})
    assert response.status_code == status, response.get_data(as_text=True)
    return [item["slug"] for item in response.get_json()["items"]] if status == 200 else []


def test_practices_on_the_same_words_are_related_and_others_not(client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    alike = publish(title="Refuse lorry sensors", body="Sensors on refuse lorries showed where bins were missed.")
    publish(title="Library opening hours", body="Libraries opened on Sundays for students.")
    assert related(client, article.slug) == [alike.slug]


def test_the_article_itself_is_never_related(client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    publish(title="Missed bin collections again", body=BINS)
    assert article.slug not in related(client, article.slug)


def test_drafts_are_never_related(client, make, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    draft = make.article(title="Missed bins, a draft", body=BINS, status="draft")
    assert related(client, article.slug) == []
    author_token = make.token(draft.author)
    assert related(client, article.slug, bearer(author_token)) == []


def test_an_article_archived_since_is_no_longer_related(app, client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    gone = publish(title="Missed bin collections again", body=BINS)
    assert related(client, article.slug) == [gone.slug]
    with app.app_context():
        archive(gone.author, db.session.get(Article, gone.id))
    assert related(client, article.slug) == []


def test_at_most_five_are_listed(client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    for n in range(7):
        publish(title=f"Missed bins, round {n}", body=BINS)
    assert len(related(client, article.slug)) == 5


def test_practices_sharing_a_topic_come_first(client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS, tags=["Waste"])
    closest = publish(title="Missed bin collections, the sequel", body=BINS)
    same_topic = publish(title="Depot rerouting", body="The depot rerouted lorries.", tags=["Waste"])
    assert related(client, article.slug) == [same_topic.slug, closest.slug]


def test_endorsements_lift_an_equally_related_practice(client, make, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    plain = publish(title="Missed bins, first", body=BINS)
    endorsed = publish(title="Missed bins, second", body=BINS)
    assert related(client, article.slug)[:2] == [plain.slug, endorsed.slug]  # equal text: index order
    endorser = make.user()
    response = client.put(f"/api/v1/articles/{endorsed.slug}/endorsement", json={"kind": "adopt"},
                          headers=bearer(make.token(endorser)))
    assert response.status_code == 200
    assert related(client, article.slug)[:2] == [endorsed.slug, plain.slug]


def test_a_draft_is_404_to_others_and_its_agency_sees_published_related(client, make, publish):
    alike = publish(title="Refuse lorry sensors", body=BINS)
    draft = make.article(title="Our missed bins plan", body=BINS, status="draft")
    related(client, draft.slug, status=404)
    outsider = make.user()
    related(client, draft.slug, bearer(make.token(outsider)), status=404)
    colleague = make.user(agency=draft.author.agency)
    assert related(client, draft.slug, bearer(make.token(colleague))) == [alike.slug]


def test_an_unknown_slug_is_404_as_for_the_article(client):
    answer = client.get("/api/v1/articles/no-such-practice/related")
    assert answer.status_code == 404
    assert answer.get_json() == client.get("/api/v1/articles/no-such-practice").get_json()


def test_the_article_page_lists_related_practices(client, publish):
    article = publish(title="Fewer missed bin collections", body=BINS)
    alike = publish(title="Refuse lorry sensors", body="Sensors on refuse lorries showed where bins were missed.")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    related_part = page[page.index("Related practices"):]
    assert f'href="/articles/{alike.slug}"' in related_part
    assert f'href="/articles/{article.slug}"' not in related_part


def test_the_article_page_says_when_nothing_is_related(client, publish):
    article = publish(title="Library opening hours", body="Libraries opened on Sundays.")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "No related practice has been published yet." in page


def test_a_shared_section_is_rendered_once_per_data_version(app, make, publish):
    """The second member to read a practice gets its related practices without their queries; a change
    to the library shows at once."""
    article = publish(title="Fewer missed bin collections", body=BINS)
    publish(title="Residents and open data maps", body="Sensors on refuse lorries showed where bins were missed.")
    first, second = make.user(name="First reader"), make.user(name="Second reader")
    client, other = app.test_client(), app.test_client()
    client.post("/login", data={"email": first.email, "password": PASSWORD})
    other.post("/login", data={"email": second.email, "password": PASSWORD})  # a sign-in is a change too
    assert b"Residents and open data maps" in client.get(f"/articles/{article.slug}").data
    with counting_statements(app) as statements:
        page = other.get(f"/articles/{article.slug}").data
    assert b"Residents and open data maps" in page and b"Second reader" in page and b"First reader" not in page
    shared_tables = re.compile(r"\bFROM (challenge_answers|files|flags)\b")
    assert not [statement for statement in statements if shared_tables.search(statement)]
    publish(title="Open data for residents, a newer one", body="Refuse lorries and missed bin collections.")
    assert b"Open data for residents, a newer one" in other.get(f"/articles/{article.slug}").data
