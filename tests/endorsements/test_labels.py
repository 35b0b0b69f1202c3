"""Every card and list row says who vouched, in plain words, and lists sort by what the labels say (issue #17)."""
import html
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import bearer

LABEL = re.compile(r'<span class="endorsed">(.*?)</span>', re.S)
TITLE = re.compile(r'<h3><a href="/articles/[^"]+">(.*?)</a></h3>')


def _rows(page: str) -> list[tuple[str, str]]:
    """(title, label) of each row of a list page, in order ('' for a row without a label)."""
    items = page.split("<li")
    rows = []
    for item in items:
        title = TITLE.search(item)
        if title:
            label = LABEL.search(item)
            rows.append((html.unescape(title.group(1)), html.unescape(label.group(1)) if label else ""))
    return rows


def _score(label: str) -> float:
    found = re.search(r"score ([0-9.]+)$", label.strip())
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def crowd(make):
    """Four agencies (the first owns the articles) with three people each, and an author."""
    agencies = [make.agency(slug=f"agency-{n}-{uuid.uuid4().hex[:4]}", name=f"Agency {n}") for n in range(4)]
    people = [[make.user(agency=agency) for _ in range(3)] for agency in agencies]
    return agencies, people, make.user(agency=agencies[0])


def _endorse(app, person, slug, kind):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements import services

    with app.app_context():
        user = get_user(person.id)
        services.endorse(user, get_article(user, slug), kind)


# Per article, the endorsements: (agency 0..3, person 0..2, kind); agency 0 is the article's own.
ENDORSEMENTS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from(["endorse", "adopt"])),
                        max_size=6, unique_by=lambda e: (e[0], e[1]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(ENDORSEMENTS, min_size=2, max_size=5))
def test_every_label_agrees_with_its_place_in_the_list(app, client, make, crowd, plan):
    agencies, people, author = crowd
    topic = f"Topic {uuid.uuid4().hex[:8]}"
    expected = {}
    for n, endorsements in enumerate(plan):
        article = make.article(author, title=f"Practice {n} {topic}", tags=[topic])
        for agency, person, kind in endorsements:
            _endorse(app, people[agency][person], article.slug, kind)
        expected[article.title] = endorsements
    slug = topic.lower().replace(" ", "-")
    rows = _rows(client.get(f"/tags/{slug}?sort=top").data.decode())
    assert sorted(title for title, _ in rows) == sorted(expected)
    scores = [_score(label) for _, label in rows]
    assert scores == sorted(scores, reverse=True), rows
    for title, label in rows:
        _check_label(label, expected[title], agencies)


def _check_label(label: str, endorsements, agencies):
    """The label's words match the endorsements: nothing missing, nothing counted twice."""
    if not endorsements:
        assert label == ""
        return
    outside = [(agency, kind) for agency, _, kind in endorsements if agency != 0]
    adopters = {agency for agency, kind in outside if kind == "adopt"}
    endorsers = {agency for agency, kind in outside if kind == "endorse"} - adopters
    if adopters:
        first = next(agency for agency, kind in outside if kind == "adopt")
        others = len(adopters) - 1
        assert label.startswith(f"Adopted by {agencies[first].name}"
                                + (f" and {others} other{'s' if others != 1 else ''}" if others else "")), label
    else:
        assert "dopted by" not in label
    if endorsers:
        assert f"ndorsed by {len(endorsers)} agenc{'ies' if len(endorsers) != 1 else 'y'}" in label, label
    else:
        assert "ndorsed by" not in label
    own = [kind for agency, _, kind in endorsements if agency == 0]
    if own:
        assert "its own agency:" in label.lower() and "(counting a quarter)" in label, label
    else:
        assert "own agency" not in label.lower()


def test_an_adoption_is_not_also_an_endorsement(app, client, make, crowd):
    agencies, people, author = crowd
    article = make.article(author)
    _endorse(app, people[1][0], article.slug, "adopt")
    rows = _rows(client.get(f"/agencies/{agencies[0].slug}?sort=top").data.decode())
    assert rows == [(article.title, f"Adopted by {agencies[1].name} · score 3")]
    summary = client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]
    assert (summary["count"], summary["adoptions"]) == (1, 1)
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "<strong>1</strong> adoption<" in page and "<strong>0</strong> endorsements<" in page


def test_own_agency_support_is_shown_as_a_quarter(app, client, make, crowd):
    agencies, people, author = crowd
    article = make.article(author)
    _endorse(app, people[0][0], article.slug, "adopt")
    rows = _rows(client.get(f"/agencies/{agencies[0].slug}?sort=top").data.decode())
    assert rows == [(article.title, "Its own agency: 1 adoption (counting a quarter) · score 0.75")]


def test_the_api_gives_the_label(app, client, make, crowd):
    agencies, people, author = crowd
    article = make.article(author)
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": "endorse"},
                          headers=bearer(make.token(people[2][0])))
    assert response.json["label"] == "Endorsed by 1 agency · score 1"
    assert response.json["endorsements"] == 1


def test_a_trending_list_labels_each_row_with_the_value_it_sorts_by(app, client, make, crowd):
    agencies, people, author = crowd
    topic = f"Topic {uuid.uuid4().hex[:8]}"
    made = [make.article(author, title=f"Trend {n} {topic}", tags=[topic]) for n in range(3)]
    _endorse(app, people[0][0], made[0].slug, "adopt")  # own agency: score 0.75, trending 0
    _endorse(app, people[1][0], made[1].slug, "endorse")
    _endorse(app, people[2][0], made[2].slug, "adopt")
    slug = topic.lower().replace(" ", "-")
    rows = _rows(client.get(f"/tags/{slug}?sort=trending").data.decode())
    values = [float(re.search(r"trending ([0-9.]+)$", label).group(1)) for _, label in rows]
    assert [title.split()[1] for title, _ in rows] == ["2", "1", "0"]
    assert values == sorted(values, reverse=True) and values[-1] == 0
