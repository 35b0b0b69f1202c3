"""The starter library shows a living exchange: people of its agencies, two years of dates, endorsements and
adoptions between agencies, and no practice overdue for review unless its text says so."""
import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
import yaml

from exchange.content.library import FRONT_MATTER, article_paths
from tests.content.test_library import CONTENT, load

# The library's own "today": the day after its newest endorsement (trending counts the last 180 days).
AS_OF = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MEANT_OVERDUE = {"lakeland-chart-of-the-week", "social-media-policy-for-staff"}


def _articles() -> dict[str, dict]:
    result = {}
    for path in article_paths(CONTENT):
        head, body = FRONT_MATTER.split(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(head)
        result[meta["slug"]] = {**meta, "body": body}
    return result


def _agency_domains() -> dict[str, list[str]]:
    return {a["slug"]: a["domains"] for a in yaml.safe_load((CONTENT / "agencies.yml").read_text(encoding="utf-8"))}


def _endorsements() -> list[dict]:
    return yaml.safe_load((CONTENT / "endorsements.yml").read_text(encoding="utf-8"))


def test_every_practice_names_a_person_of_its_agency_and_its_dates():
    domains = _agency_domains()
    for slug, article in _articles().items():
        author = article["author"]
        assert author["name"] != "Content team", slug
        assert author["email"].split("@")[1] in domains[article["agency"]], slug
        created, published = (datetime.fromisoformat(article[key]) for key in ("created", "published"))
        assert created < published < AS_OF, slug


def test_publication_dates_spread_over_about_two_years_with_both_kinds_recent():
    articles = _articles().values()
    published = sorted(datetime.fromisoformat(a["published"]) for a in articles)
    assert published[-1] - published[0] > timedelta(days=540)
    assert len({(d.year, d.month) for d in published}) >= len(published) - 1  # not all on one day
    last_year = [a["kind"] for a in articles if datetime.fromisoformat(a["published"]) > AS_OF - timedelta(days=365)]
    assert {"case_study", "playbook"} <= set(last_year)


def test_only_the_practices_meant_to_be_overdue_are_and_their_text_says_so():
    today = AS_OF.date()
    overdue = {slug for slug, a in _articles().items() if a.get("review_by") and a["review_by"] < today}
    assert overdue == MEANT_OVERDUE
    for slug in overdue:
        opening = _articles()[slug]["body"][:400].lower()
        assert re.search(r"due for review|review overdue", opening), slug
    assert all(isinstance(a["review_by"], date) for a in _articles().values())


def test_endorsements_come_from_other_agencies_people_with_stories_and_dates_after_publication():
    articles, domains = _articles(), _agency_domains()
    entries = _endorsements()
    assert len(entries) >= 40
    assert sum(1 for e in entries if e["kind"] == "adopt") >= 15
    for e in entries:
        article = articles[e["article"]]
        assert e["by"]["email"] != article["author"]["email"]
        assert e["by"]["email"].split("@")[1] in domains[e["by"]["agency"]]
        assert datetime.fromisoformat(article["published"]) < datetime.fromisoformat(e["created"]) < AS_OF
        assert 20 <= len(e["note"]) <= 280
    recent = [e for e in entries if datetime.fromisoformat(e["created"]) > AS_OF - timedelta(days=60)]
    assert len({e["article"] for e in recent}) >= 6  # enough for the home page's trending section
    adopted = {e["article"] for e in entries if e["kind"] == "adopt"}
    assert {articles[slug]["kind"] for slug in adopted} == {"case_study", "playbook"}


def test_the_home_page_of_a_fresh_instance_shows_endorsements_adoptions_and_both_kinds_under_newest(
        runner, client, monkeypatch):
    monkeypatch.setattr("exchange.endorsements.ranking.utcnow", lambda: AS_OF)
    assert load(runner).exit_code == 0
    page = client.get("/").get_data(as_text=True)
    kinds = [entry["kind"] for entry in _endorsements()]
    # Each counted once (issue #17): an adoption is not also an endorsement.
    assert f"<strong>{kinds.count('endorse')}</strong> endorsements" in page
    assert f"<strong>{kinds.count('adopt')}</strong> adoptions" in page
    sections = dict(re.findall(r'<h2 id="(\w+)-title">.*?</h2>(.*?)</section>', page, re.S))
    assert {"trending", "top", "newest"} <= set(sections)
    for name in ("trending", "top"):
        assert "Adopted by" in sections[name], name
    newest = sections["newest"]
    assert 'badge-case_study' in newest and 'badge-playbook' in newest


def test_a_practice_page_shows_who_wrote_it_and_which_agencies_adopted_it(runner, client):
    assert load(runner).exit_code == 0
    page = client.get("/articles/social-media-policy-for-staff").get_data(as_text=True)
    assert "Oliver Grant" in page and "Content team" not in page
    for agency in ("Westmark Regional Health Authority", "Northvale City Council",
                   "Lakeland National Statistics Office"):
        assert agency in page
    assert "This may be out of date" in page and "Review overdue" in page
    assert "21 January 2025" in page


def test_a_loaded_practice_was_last_updated_when_its_file_says_not_when_it_was_loaded(runner, app):
    from exchange.articles.models import Article
    from exchange.db import db

    assert load(runner).exit_code == 0
    with app.app_context():
        for article in db.session.scalars(sa.select(Article)):
            assert article.updated_at == article.published_at, article.slug


def test_recent_moves_every_date_by_whole_weeks_so_the_library_stays_current(runner, client, app, monkeypatch):
    from exchange.articles.models import Article
    from exchange.db import db
    from exchange.endorsements.models import Endorsement

    later = AS_OF + timedelta(days=400, hours=5)
    monkeypatch.setattr("exchange.content.cli.utcnow", lambda: later)
    monkeypatch.setattr("exchange.endorsements.ranking.utcnow", lambda: later)
    result = load(runner, None, "--recent")
    assert result.exit_code == 0, result.output
    newest = max(datetime.fromisoformat(e["created"]) for e in _endorsements())
    weeks = (later - newest) // timedelta(weeks=1)
    assert weeks == 58 and f"(dates moved {weeks} weeks forward by --recent)" in result.stdout
    shift = timedelta(weeks=weeks)
    files = _articles()
    with app.app_context():
        for article in db.session.scalars(sa.select(Article)):
            meta = files[article.slug]
            assert article.published_at == datetime.fromisoformat(meta["published"]) + shift
            assert article.created_at == datetime.fromisoformat(meta["created"]) + shift
            assert article.review_by == meta["review_by"] + shift
            assert article.out_of_date(later.date()) == (article.slug in MEANT_OVERDUE)
        moments = sorted(db.session.scalars(sa.select(Endorsement.created_at)))
    assert moments == sorted(datetime.fromisoformat(e["created"]) + shift for e in _endorsements())
    assert later - timedelta(weeks=1) < moments[-1] <= later
    page = client.get("/").get_data(as_text=True)
    trending = re.search(r'<h2 id="trending-title">.*?</section>', page, re.S).group(0)
    assert trending.count('<li class="card') == 6


def test_recent_leaves_a_library_dated_in_the_past_week_as_it_is(runner, app, monkeypatch):
    from exchange.articles.models import Article
    from exchange.db import db

    monkeypatch.setattr("exchange.content.cli.utcnow", lambda: AS_OF)
    result = load(runner, None, "--recent")
    assert result.exit_code == 0 and "dates moved" not in result.stdout
    with app.app_context():
        published = {a.slug: a.published_at for a in db.session.scalars(sa.select(Article))}
    assert published == {slug: datetime.fromisoformat(a["published"]) for slug, a in _articles().items()}
