"""The weight rules of DESIGN.md section 4, case by case, as the API reports the article's score."""
import pytest

from exchange.endorsements import ranking
from tests.conftest import bearer


@pytest.fixture
def article(make):
    return make.article(make.user())


def _endorse(client, make, user, article, kind="endorse", note=""):
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind, "note": note},
                          headers=bearer(make.token(user)))
    assert response.status_code == 200, response.json
    return response.json


def _totals(client, article):
    return client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]


def test_an_endorsement_counts_one(client, make, article):
    summary = _endorse(client, make, make.user(), article)
    assert summary["score"] == 1 and summary["count"] == 1 and summary["adoptions"] == 0 and summary["agencies"] == 1


def test_an_adoption_counts_three(client, make, article):
    summary = _endorse(client, make, make.user(), article, "adopt")
    assert summary["score"] == 3 and summary["adoptions"] == 1


def test_an_endorsement_from_the_owning_agency_counts_a_quarter(client, make, article):
    colleague = make.user(agency=article.agency)
    assert _endorse(client, make, colleague, article)["score"] == 0.25
    assert _endorse(client, make, colleague, article, "adopt")["score"] == 0.75


def test_the_kth_endorsement_from_one_agency_counts_one_kth(client, make, article):
    agency = make.agency()
    scores = [_endorse(client, make, make.user(agency=agency), article)["score"] for _ in range(3)]
    assert scores == [1, 1.5, pytest.approx(1 + 1 / 2 + 1 / 3, abs=1e-4)]
    assert _totals(client, article)["agencies"] == 1


def test_the_rules_combine(client, make, article):
    other = make.agency()
    _endorse(client, make, make.user(agency=other), article, "adopt")  # 3
    _endorse(client, make, make.user(agency=other), article, "endorse")  # 1/2
    _endorse(client, make, make.user(agency=article.agency), article, "adopt")  # 3 x 0.25
    summary = _endorse(client, make, make.user(), article, "endorse")  # 1
    assert summary == {**summary, "count": 4, "adoptions": 2, "agencies": 3, "score": 5.25}


def test_withdrawing_recomputes_and_later_ones_move_up(client, make, article):
    agency = make.agency()
    first, second = make.user(agency=agency), make.user(agency=agency)
    _endorse(client, make, first, article, "endorse")
    _endorse(client, make, second, article, "adopt")  # the 2nd from its agency: 3 / 2
    assert _totals(client, article)["score"] == 2.5
    response = client.delete(f"/api/v1/articles/{article.slug}/endorsement", headers=bearer(make.token(first)))
    assert response.status_code == 204
    assert _totals(client, article) == {"count": 1, "adoptions": 1, "agencies": 1, "score": 3}


def test_changing_the_kind_replaces_the_endorsement(client, make, article):
    user = make.user()
    _endorse(client, make, user, article, "endorse", "Looks promising.")
    summary = _endorse(client, make, user, article, "adopt", "We rolled it out in March.")
    assert summary["count"] == 1 and summary["adoptions"] == 1 and summary["score"] == 3
    assert summary["yours"] == {"kind": "adopt", "note": "We rolled it out in March.", "weight": 3,
                                "adopted_on": None, "status": None, "outcome": ""}
    summary = _endorse(client, make, user, article, "endorse")
    assert summary["count"] == 1 and summary["adoptions"] == 0 and summary["score"] == 1


def test_changing_the_note_keeps_the_place_in_its_agency(client, make, article):
    agency = make.agency()
    first, second = make.user(agency=agency), make.user(agency=agency)
    _endorse(client, make, first, article, "adopt")
    _endorse(client, make, second, article, "endorse")
    summary = _endorse(client, make, first, article, "adopt", "Still using it a year on.")
    assert summary["yours"]["weight"] == 3 and summary["score"] == 3.5


def test_weights_function_follows_the_rules_in_time_order():
    class Row:
        def __init__(self, kind, agency_id):
            self.kind, self.agency_id = kind, agency_id

    rows = [Row("adopt", 1), Row("endorse", 1), Row("endorse", 9), Row("adopt", 1), Row("endorse", 2)]
    assert ranking.weights(rows, owner_agency_id=9) == [3, 0.5, 0.25, 1, 1]


def test_trending_halves_every_thirty_days():
    from datetime import timedelta

    now = ranking.TREND_EPOCH + timedelta(days=400)
    fresh = ranking.trend_weight(2.0, now)
    month_old = ranking.trend_weight(2.0, now - timedelta(days=30))
    assert ranking.trending_value(fresh, now) == pytest.approx(2.0)
    assert ranking.trending_value(month_old, now) == pytest.approx(1.0)
    assert ranking.trending_value(fresh + month_old, now + timedelta(days=60)) == pytest.approx(0.75)
