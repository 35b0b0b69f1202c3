"""content/endorsements.yml: endorsements and adoptions between the library's agencies, loaded and exported."""
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.content.test_library import AGENCY_YML, CONTENT, article_file, library, load

OTHER_AGENCY = AGENCY_YML + """
- slug: kilbrack
  name: Kilbrack Municipal District
  acronym: KMD
  level: local
  country: IE
  domains: [kilbrack.example]
"""
ENTRY = """\
- article: replies
  by: {{name: Siobhán Byrne, email: siobhan@kilbrack.example, agency: kilbrack}}
  kind: {kind}
  created: '2026-05-12T10:00:00+00:00'
  note: {note}
"""


def _endorsements(app) -> list[tuple]:
    from exchange.db import db
    from exchange.endorsements.models import Endorsement

    with app.app_context():
        rows = db.session.scalars(sa.select(Endorsement).order_by(Endorsement.id)).all()
        return [(e.article.slug, e.user.email, e.user.name, e.agency.slug, e.kind, e.note, e.created_at,
                 e.updated_at, round(e.weight, 6)) for e in rows]


def _totals(app, slug) -> tuple:
    from exchange.articles.models import Article
    from exchange.db import db

    with app.app_context():
        a = db.session.scalar(sa.select(Article).where(Article.slug == slug))
        return a.endorsement_count, a.adoption_count, a.agency_count, round(a.score, 6)


def _library(tmp_path, endorsements: str):
    root = library(tmp_path, {"case-studies/replies.md": article_file()}, agencies=OTHER_AGENCY)
    (root / "endorsements.yml").write_text(endorsements, encoding="utf-8")
    return root


def test_the_starter_endorsements_load_and_export_back_byte_for_byte(runner, app, tmp_path):
    result = load(runner)
    assert result.exit_code == 0, result.output
    shipped = (CONTENT / "endorsements.yml").read_text(encoding="utf-8")
    count = shipped.count("\n- article: ")
    assert count >= 40
    assert f"Endorsements and adoptions: {count} added, 0 unchanged, 0 failed" in result.stdout
    exported = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    assert (exported / "endorsements.yml").read_text(encoding="utf-8") == shipped


def test_export_load_export_of_endorsements_is_identical_in_a_new_instance(runner, app, new_app, tmp_path):
    assert load(runner).exit_code == 0
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    second = new_app(DATABASE_URL=f"sqlite:///{tmp_path / 'second.db'}")
    second_runner = second.test_cli_runner()
    assert second_runner.invoke(args=["db", "upgrade"]).exit_code == 0
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    assert _endorsements(second) == _endorsements(app)
    again = tmp_path / "again"
    assert second_runner.invoke(args=["content", "export", str(again)]).exit_code == 0
    assert (again / "endorsements.yml").read_bytes() == (first / "endorsements.yml").read_bytes()


def test_loading_endorsements_twice_changes_nothing(runner, app, tmp_path):
    root = _library(tmp_path, ENTRY.format(kind="adopt", note="We run it for roads and waste now."))
    assert load(runner, root).exit_code == 0
    before = _endorsements(app)
    again = load(runner, root)
    assert again.exit_code == 0, again.output
    assert "Endorsements and adoptions: 0 added, 1 unchanged, 0 failed" in again.stdout
    assert _endorsements(app) == before


def test_a_loaded_adoption_has_its_person_date_note_weight_and_totals(runner, app, tmp_path):
    root = _library(tmp_path, ENTRY.format(kind="adopt", note="We run it for roads and waste now."))
    result = load(runner, root)
    assert result.exit_code == 0, result.output
    moment = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
    assert _endorsements(app) == [("replies", "siobhan@kilbrack.example", "Siobhán Byrne", "kilbrack", "adopt",
                                   "We run it for roads and waste now.", moment, moment, 3.0)]
    assert _totals(app, "replies") == (1, 1, 1, 3.0)
    from exchange.accounts.models import User
    from exchange.db import db

    with app.app_context():
        person = db.session.scalar(sa.select(User).where(User.email == "siobhan@kilbrack.example"))
        assert person.agency.slug == "kilbrack" and person.role == "member"
        assert not person.check_password("")  # a member who cannot sign in until a password is set


def test_bad_endorsements_are_each_named_and_change_nothing_while_the_good_ones_load(runner, app, tmp_path):
    good = ENTRY.format(kind="endorse", note="Clear and honest.")
    bad = [
        good.replace("article: replies", "article: no-such-practice"),
        ENTRY.format(kind="applaud", note="Hm."),
        ENTRY.format(kind="endorse", note="x" * 281).replace("siobhan@", "long@"),
        good.replace("siobhan@kilbrack.example, agency: kilbrack", "new@kilbrack.example"),  # no agency, unknown
        good.replace("agency: kilbrack", "agency: atlantis").replace("siobhan@", "atlantis@"),
        good.replace("  kind: endorse\n", "  kind: endorse\n  colour: red\n"),
        good.replace("'2026-05-12T10:00:00+00:00'", "next tuesday").replace("siobhan@", "when@"),
        "- just a line\n",
    ]
    root = _library(tmp_path, "\n".join([*bad, good]))
    result = load(runner, root)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == len(bad), result.stderr
    assert "endorsement 1 (no-such-practice): article: no published practice 'no-such-practice'" in errors[0]
    assert "endorsement 2 (replies): kind: endorse or adopt" in errors[1]
    assert "endorsement 3 (replies): note:" in errors[2]
    assert "endorsement 4 (replies): agency: required for a person not yet on the Exchange" in errors[3]
    assert "endorsement 5 (replies): agency: no agency 'atlantis'" in errors[4]
    assert "endorsement 6 (replies): colour: unknown field" in errors[5]
    assert "endorsement 7 (replies): created:" in errors[6]
    assert "endorsement 8: endorsement: must be 'key: value' lines" in errors[7]
    assert f"Endorsements and adoptions: 1 added, 0 unchanged, {len(bad)} failed" in result.stdout
    assert [row[1] for row in _endorsements(app)] == ["siobhan@kilbrack.example"]
    from exchange.accounts.models import User
    from exchange.db import db

    with app.app_context():  # the refused entries added nobody
        emails = set(db.session.scalars(sa.select(User.email)))
    assert not emails & {"long@kilbrack.example", "new@kilbrack.example", "atlantis@kilbrack.example",
                         "when@kilbrack.example"}


def test_an_author_cannot_endorse_their_own_practice_from_the_file(runner, app, tmp_path):
    own = article_file(author="{name: Siobhán Byrne, email: siobhan@kilbrack.example}")
    root = library(tmp_path, {"case-studies/replies.md": own}, agencies=OTHER_AGENCY)
    (root / "endorsements.yml").write_text(ENTRY.format(kind="endorse", note="Mine."), encoding="utf-8")
    result = load(runner, root)
    assert result.exit_code == 1
    assert "by: the practice's author: endorsements come from others" in result.stderr
    assert _endorsements(app) == []


def test_a_draft_takes_no_endorsement_from_the_file(runner, app, tmp_path):
    root = library(tmp_path, {"case-studies/replies.md": article_file(status="draft")}, agencies=OTHER_AGENCY)
    (root / "endorsements.yml").write_text(ENTRY.format(kind="endorse", note="Early."), encoding="utf-8")
    result = load(runner, root)
    assert result.exit_code == 1
    assert "article: no published practice 'replies'" in result.stderr
    assert _endorsements(app) == []


def test_an_endorsements_file_that_is_not_a_list_is_one_line(runner, app, tmp_path):
    root = _library(tmp_path, "article: replies\n")
    result = load(runner, root)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("endorsements: must be a list of endorsements")
    assert "Articles: 1 created" in result.stdout
