"""A move between servers: export, load into an empty instance, export again, and nothing is lost."""
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.content.test_library import load


def _files(directory):
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _origins(app) -> dict:
    from exchange.articles.models import Article
    from exchange.db import db

    with app.app_context():
        return {a.slug: (a.author.email, a.author.name, a.author.agency.slug, a.created_at, a.published_at)
                for a in db.session.scalars(sa.select(Article))}


def _second(new_app, tmp_path):
    second = new_app(DATABASE_URL=f"sqlite:///{tmp_path / 'second.db'}")
    runner = second.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    return second, runner


def test_export_load_export_is_identical_and_keeps_authors_and_dates(runner, app, new_app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import create_article
    from exchange.db import db

    assert load(runner).exit_code == 0
    writer = make.user(email="writer@harbour.example", name="Wren Writer",
                       agency=make.agency("harbour", domains=["harbour.example"]))
    with app.app_context():
        article = create_article(get_user(writer.id), {"title": "Answering within a day", "kind": "case_study",
                                                       "summary": "Replies got faster.", "status": "published",
                                                       "body": "## Context\n\nA backlog."})
        article.created_at = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
        article.published_at = datetime(2024, 3, 2, 12, 0, 5, 123456, tzinfo=UTC)
        db.session.commit()
        slug = article.slug
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0

    second, second_runner = _second(new_app, tmp_path)
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    again = tmp_path / "again"
    assert second_runner.invoke(args=["content", "export", str(again)]).exit_code == 0

    assert _files(again) == _files(first)
    assert _origins(second) == _origins(app)
    with second.app_context():
        moved = db.session.scalar(sa.select(Article).where(Article.slug == slug))
        assert moved.author.email == "writer@harbour.example" and moved.author.name == "Wren Writer"
        assert moved.author.role == "member" and not moved.author.check_password("")
        assert moved.published_at == datetime(2024, 3, 2, 12, 0, 5, 123456, tzinfo=UTC)


def test_an_author_who_exists_is_reused_not_duplicated(runner, app, new_app, tmp_path, make):
    assert load(runner).exit_code == 0
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    second, second_runner = _second(new_app, tmp_path)
    assert second_runner.invoke(args=["content", "load", str(first)]).exit_code == 0
    assert second_runner.invoke(args=["content", "load", str(first)]).exit_code == 0
    from exchange.accounts.models import User
    from exchange.db import db

    with second.app_context():
        emails = db.session.scalars(sa.select(User.email)).all()
    assert len(emails) == len(set(emails))


def _history(app) -> dict:
    """Every article's revisions, endorsements and comments, by who and when, as a reader could see them."""
    from exchange.articles.models import Article, Revision
    from exchange.community.models import Comment
    from exchange.db import db
    from exchange.endorsements.models import Endorsement

    with app.app_context():
        result = {}
        for a in db.session.scalars(sa.select(Article)):
            revisions = db.session.scalars(sa.select(Revision).where(Revision.article_id == a.id)
                                           .order_by(Revision.number)).all()
            endorsements = db.session.scalars(sa.select(Endorsement).where(Endorsement.article_id == a.id)
                                              .order_by(Endorsement.created_at)).all()
            comments = db.session.scalars(sa.select(Comment).where(Comment.article_id == a.id)
                                          .order_by(Comment.created_at)).all()
            result[a.slug] = {
                "revision": a.revision, "score": round(a.score, 6), "count": a.endorsement_count,
                "revisions": [(r.number, r.title, r.summary, r.body, r.author.email, r.change_note, r.created_at)
                              for r in revisions],
                "endorsements": [(e.user.email, e.kind, e.note, e.created_at) for e in endorsements],
                "comments": [(c.author.email, c.body, c.status, c.created_at,
                              c.parent.body if getattr(c, "parent", None) else c.parent_id is not None)
                             for c in comments],
            }
        return result


def test_full_export_and_load_keeps_revisions_endorsements_and_comments(runner, app, new_app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article, update_article
    from exchange.community.services import add_comment
    from exchange.endorsements.services import endorse

    harbour = make.agency("harbour", domains=["harbour.example"])
    author = make.user(email="writer@harbour.example", name="Wren Writer", agency=harbour)
    reader = make.user(email="reader@elsewhere.example", name="Rae Reader",
                       agency=make.agency("elsewhere", domains=["elsewhere.example"]))
    with app.app_context():
        writer, other = get_user(author.id), get_user(reader.id)
        article = create_article(writer, {"title": "Answering within a day", "kind": "case_study",
                                          "summary": "Replies got faster.", "status": "published",
                                          "body": "## Context\n\nA backlog."})
        update_article(writer, article, {"summary": "Replies got much faster."}, 1, "sharper")
        endorse(other, article, "adopt", "We run it too.")
        first_comment = add_comment(other, article, "We tried the same in our port and replies doubled in speed.")
        add_comment(writer, article, "Glad to hear it: which channel did most of the work for you?",
                    first_comment.id)
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", "--full", str(first)]).exit_code == 0
    assert (first / "full.json").is_file()

    second, second_runner = _second(new_app, tmp_path)
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    assert _history(second) == _history(app)
    again = tmp_path / "again"
    assert second_runner.invoke(args=["content", "export", "--full", str(again)]).exit_code == 0
    assert _files(again) == _files(first)
    assert second_runner.invoke(args=["content", "load", str(first)]).exit_code == 0  # twice: nothing changes
    assert _history(second) == _history(app)


def test_a_withdrawn_practice_keeps_its_reason_through_export_and_load(runner, app, new_app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import archive, create_article
    from exchange.db import db

    writer = make.user(agency=make.agency("harbour", domains=["harbour.example"]))
    with app.app_context():
        article = create_article(get_user(writer.id), {"title": "Paper permits by post", "kind": "case_study",
                                                       "summary": "Replaced since.", "status": "published",
                                                       "body": "## Context\n\nPaper."})
        archive(get_user(writer.id), article, "Replaced by the online service: see online-permits.")
        slug = article.slug
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    exported = (first / "case-studies" / f"{slug}.md").read_text()
    assert "archive_reason: 'Replaced by the online service: see online-permits.'" in exported \
        or "archive_reason: Replaced by the online service" in exported

    second, second_runner = _second(new_app, tmp_path)
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    with second.app_context():
        moved = db.session.scalar(sa.select(Article).where(Article.slug == slug))
        assert moved.status == "archived"
        assert moved.archive_reason == "Replaced by the online service: see online-permits."
    again = tmp_path / "again"
    assert second_runner.invoke(args=["content", "export", str(again)]).exit_code == 0
    assert _files(again) == _files(first)


def test_full_export_and_load_carries_uploaded_files(runner, app, new_app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article
    from exchange.files.services import upload
    from tests.files import samples

    author = make.user()
    with app.app_context():
        writer = get_user(author.id)
        article = create_article(writer, {"title": "Charts of replies", "kind": "case_study", "summary": "Faster.",
                                          "status": "published", "body": "## Context\n\nA backlog."})
        url = upload(writer, samples.PDF, "evaluation.pdf", article.slug).url
        digest = url.split("/")[2]
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", "--full", str(first)]).exit_code == 0
    assert (first / "files" / digest).read_bytes() == samples.PDF

    second, second_runner = _second(new_app, tmp_path)
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    served = second.test_client().get(url)
    assert served.status_code == 200 and served.data == samples.PDF
    assert second_runner.invoke(args=["content", "load", str(first)]).exit_code == 0  # twice: nothing changes
    from exchange.db import db

    with second.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM files")) == 1


def test_an_adaptation_keeps_the_practice_it_is_based_on_through_export_and_load(runner, app, new_app, tmp_path,
                                                                                  make):
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import create_article
    from exchange.db import db

    harbour = make.user(agency=make.agency("harbour", domains=["harbour.example"]))
    inland = make.user(agency=make.agency("inland", domains=["inland.example"]))
    with app.app_context():
        # The adaptation's slug sorts first, so a load meets it before its original.
        original = create_article(get_user(harbour.id), {
            "title": "Weekend reply rota", "kind": "playbook", "summary": "Who answers at weekends.",
            "status": "published", "body": "## Purpose\n\nA rota."})
        adaptation = create_article(get_user(inland.id), {
            "title": "Adapting a weekend rota", "kind": "case_study", "summary": "We took Harbour's rota.",
            "status": "published", "body": "## Context\n\nA rota.", "based_on": original.slug})
        slugs = adaptation.slug, original.slug
    first = tmp_path / "first"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    assert f"based_on: {slugs[1]}" in (first / "case-studies" / f"{slugs[0]}.md").read_text()

    second, second_runner = _second(new_app, tmp_path)
    loaded = second_runner.invoke(args=["content", "load", str(first)])
    assert loaded.exit_code == 0, loaded.output
    with second.app_context():
        moved = db.session.scalar(sa.select(Article).where(Article.slug == slugs[0]))
        assert moved.based_on is not None and moved.based_on.slug == slugs[1]
    again = tmp_path / "again"
    assert second_runner.invoke(args=["content", "export", str(again)]).exit_code == 0
    assert _files(again) == _files(first)


def test_a_file_based_on_a_practice_that_is_not_there_is_reported_and_the_rest_loads(runner, app, tmp_path):
    from exchange.articles.models import Article
    from exchange.db import db

    folder = tmp_path / "library"
    (folder / "case-studies").mkdir(parents=True)
    (folder / "agencies.yml").write_text("- slug: harbour\n  name: Harbour\n  domains: [harbour.example]\n")
    (folder / "case-studies" / "adapted.md").write_text(
        "---\ntitle: Adapted\nagency: harbour\nsummary: Ours.\nstatus: published\nbased_on: no-such-practice\n"
        "---\n\n## Context\n\nText.\n")
    (folder / "case-studies" / "plain.md").write_text(
        "---\ntitle: Plain\nagency: harbour\nsummary: Ours.\nstatus: published\n---\n\n## Context\n\nText.\n")
    result = runner.invoke(args=["content", "load", str(folder)])
    assert result.exit_code != 0
    assert "adapted.md" in result.output and "no-such-practice" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Article).where(Article.slug == "plain")) is not None
