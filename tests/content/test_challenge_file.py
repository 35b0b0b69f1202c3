"""content/challenges/*.md: the starter library's challenges load, load twice without change, and export back."""
import pytest
import sqlalchemy as sa

from tests.content.test_library import load


def _challenges(app):
    from exchange.challenges.models import Answer, Challenge
    from exchange.db import db

    with app.app_context():
        return ({c.slug: (c.status, c.same_problem_count) for c in db.session.scalars(sa.select(Challenge))},
                db.session.scalar(sa.select(sa.func.count(Answer.id)).where(Answer.helped_at.is_not(None))))


def test_the_starter_library_has_at_least_five_challenges_some_answered(runner, app, client):
    result = load(runner)
    assert result.exit_code == 0, result.output
    assert "Challenges: 5 added, 0 failed" in result.output
    found, helped = _challenges(app)
    assert len(found) >= 5 and helped >= 2
    assert {status for status, _ in found.values()} >= {"open", "answered", "closed"}
    assert found["motivating-staff-to-share-practices"] == ("open", 3)
    page = client.get("/articles/answering-residents-on-social-media").data.decode()
    assert "Helped Kilbrack Municipal District with:" in page


def test_loading_twice_changes_nothing(runner, app):
    assert load(runner).exit_code == 0
    first = _challenges(app)
    again = load(runner)
    assert again.exit_code == 0 and "Challenges:" not in again.output
    assert _challenges(app) == first


def test_a_helpful_answer_counts_in_the_practices_score(runner, app):
    from exchange.articles.models import Article
    from exchange.challenges.models import Answer, Challenge
    from exchange.db import db
    from exchange.endorsements.models import Endorsement

    assert load(runner).exit_code == 0
    with app.app_context():
        article = db.session.scalar(sa.select(Article).where(Article.slug == "social-media-policy-for-staff"))
        rows = db.session.execute(sa.select(Endorsement.weight, Endorsement.agency_id)
                                  .where(Endorsement.article_id == article.id)).all()
        helper = db.session.scalar(sa.select(Challenge.agency_id).join(Answer, Answer.challenge_id == Challenge.id)
                                   .where(Answer.article_id == article.id, Answer.helped_at.is_not(None)))
        # one answer marked helpful: an endorsement from the asking agency, under the same rules (1/k for
        # its k-th support of the practice; not the practice's own agency here)
        assert helper != article.agency_id
        earlier = sum(1 for row in rows if row.agency_id == helper)
        assert article.score == pytest.approx(sum(row.weight for row in rows) + 1 / (earlier + 1))


def test_a_bad_challenge_file_is_reported_and_the_others_load(runner, app, tmp_path):
    library = tmp_path / "library"
    (library / "challenges").mkdir(parents=True)
    (library / "agencies.yml").write_text("- slug: beta\n  name: Beta City Council\n  domains: [beta.example]\n")
    (library / "challenges" / "good.md").write_text(
        "---\ntitle: A good problem\nagency: beta\nauthor: {name: Bea, email: bea@beta.example}\n---\n\nText.\n")
    (library / "challenges" / "bad.md").write_text("---\ntitle: A bad one\nagency: nowhere\n---\n\nText.\n")
    result = runner.invoke(args=["content", "load", str(library)])
    assert result.exit_code == 1
    assert "bad.md" in result.output and "agency" in result.output
    assert list(_challenges(app)[0]) == ["good"]
