"""exchange content load / export: the Markdown library in content/ and back."""
import pytest
import sqlalchemy as sa

from exchange.config import ROOT

CONTENT = ROOT / "content"
CROWDSOURCING_MODELS = ["crowd competition", "crowd collaboration", "crowd voting", "crowd labour", "crowd funding"]
AGENCY_YML = """\
- slug: harbour
  name: Harbour City Council
  acronym: HCC
  level: local
  country: GB
  domains: [harbour.example]
"""


def article_file(body="## Context\n\nWe tried something.", **meta):
    """The text of a valid case study file; ``meta`` overrides or (with None) removes front matter keys."""
    fields = {"title": "Answering residents within a day", "kind": "case_study", "agency": "harbour",
              "tags": "[social media, customer service]", "summary": "How we cut reply times.",
              "status": "published", **meta}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def library(tmp_path, files: dict[str, str], agencies=AGENCY_YML):
    """A content folder holding agencies.yml and the given files (paths relative to it)."""
    root = tmp_path / "content"
    root.mkdir(exist_ok=True)
    if agencies is not None:
        (root / "agencies.yml").write_text(agencies, encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def load(runner, directory=None, *options):
    return runner.invoke(args=["content", "load", *options, *([str(directory)] if directory else [])])


def snapshot(app) -> dict:
    """Every article's content and metadata as a reader sees it, by clean slug (a draft's, without its
    private random part)."""
    from exchange.articles.models import Article
    from exchange.db import db

    with app.app_context():
        return {a.slug.partition("--")[0]: {"title": a.title, "kind": a.kind, "summary": a.summary, "body": a.body,
                         "tags": sorted(a.tag_names), "agency": a.agency.slug, "status": a.status,
                         "evidence_level": a.evidence_level, "stage": a.stage, "edit_policy": a.edit_policy,
                         "review_by": a.review_by}
                for a in db.session.scalars(sa.select(Article))}


def history(app) -> dict:
    """Per article: its revision count, revision number and updated_at."""
    from exchange.articles.models import Article, Revision
    from exchange.db import db

    with app.app_context():
        query = sa.select(Revision.article_id, sa.func.count()).group_by(Revision.article_id)
        counts = {article_id: count for article_id, count in db.session.execute(query)}
        return {a.slug: (counts[a.id], a.revision, a.updated_at) for a in db.session.scalars(sa.select(Article))}


def test_loading_the_shipped_library_publishes_its_articles_and_crowdsourcing_tags(runner, app):
    from exchange.accounts.services import list_agencies
    from exchange.articles.queries import get_tag, list_articles
    from exchange.articles.services import get_article

    result = load(runner)
    assert result.exit_code == 0, result.output
    articles = snapshot(app)
    assert f"{len(articles)} created, 0 updated, 0 unchanged, 0 failed" in result.stdout
    assert len(articles) >= 15
    assert sum(a["kind"] == "case_study" for a in articles.values()) >= 6
    assert sum(a["kind"] == "playbook" for a in articles.values()) >= 5
    published = [slug for slug, a in articles.items() if a["status"] == "published"]
    with app.app_context():
        assert len(list_agencies()) >= 5
        assert list_articles(per_page=100).total == len(published)
        for slug in published:
            assert get_article(None, slug).title == articles[slug]["title"]
        for name in CROWDSOURCING_MODELS:
            assert get_tag(None, name.replace(" ", "-")).name == name


def test_loaded_articles_are_found_by_search_when_the_load_ends(new_app):
    app = new_app(SEARCH_BACKEND="whoosh")
    assert load(app.test_cli_runner()).exit_code == 0
    answer = app.test_client().get("/api/v1/search", query_string={"q": "crowdfunding match fund"}).get_json()
    assert "kilbrack-crowdfunding-match-fund" in [result["slug"] for result in answer["results"]]


def test_loading_twice_changes_nothing(runner, app):
    assert load(runner).exit_code == 0
    before = history(app)
    result = load(runner)
    assert result.exit_code == 0, result.output
    assert f"0 created, 0 updated, {len(before)} unchanged, 0 failed" in result.stdout
    assert history(app) == before


def test_a_changed_file_makes_exactly_one_new_revision(runner, app, tmp_path):
    root = library(tmp_path, {"case-studies/replies.md": article_file(),
                              "case-studies/other.md": article_file(title="Another practice")})
    assert load(runner, root).exit_code == 0
    before = history(app)
    (root / "case-studies/replies.md").write_text(article_file(body="## Context\n\nNow with numbers.", stage="pilot"))
    result = load(runner, root)
    assert "0 created, 1 updated, 1 unchanged, 0 failed" in result.stdout
    after = history(app)
    assert after["replies"][:2] == (before["replies"][0] + 1, before["replies"][1] + 1)
    assert after["other"] == before["other"]
    assert snapshot(app)["replies"]["body"] == "## Context\n\nNow with numbers."
    assert snapshot(app)["replies"]["stage"] == "pilot"
    with app.app_context():
        from exchange.articles.services import get_article, list_revisions

        newest = list_revisions(None, get_article(None, "replies"))[0]
        assert newest.change_note == "Loaded from content/case-studies/replies.md"


def test_a_draft_file_changed_to_published_becomes_visible(runner, app, tmp_path):
    from exchange.articles.services import get_article
    from exchange.errors import NotFound

    root = library(tmp_path, {"case-studies/replies.md": article_file(status="draft")})
    assert load(runner, root).exit_code == 0
    with app.app_context(), pytest.raises(NotFound):
        get_article(None, "replies")
    (root / "case-studies/replies.md").write_text(article_file(status="published"))
    assert "1 updated" in load(runner, root).stdout
    with app.app_context():
        assert get_article(None, "replies").is_published


BAD_FILES = {
    "case-studies/bad-yaml.md": ("---\ntitle: [not closed\n---\nBody\n", "front matter: not valid YAML"),
    "case-studies/no-title.md": (article_file(title=None), "title: required"),
    "case-studies/long-summary.md": (article_file(summary="x" * 401),
                                     "summary: Summary must be 400 characters or fewer (it has 401)"),
    "case-studies/unknown-agency.md": (article_file(agency="nowhere"), "agency: no agency 'nowhere'"),
    "case-studies/odd-kind.md": (article_file(kind="policy"), "kind: must be one of: case_study, playbook"),
    "case-studies/evidence-nine.md": (article_file(evidence_level=9), "evidence_level: must be 1 to 5"),
    "case-studies/tags-text.md": (article_file(tags="5"), "tags: must be a list"),
    "case-studies/nine-tags.md": (article_file(tags="[a, b, c, d, e, f, g, h, i]"), "tags: at most 8"),
    "case-studies/nul-byte.md": (article_file(body="Before\x00after"), "body: contains a NUL character"),
    "case-studies/huge-body.md": (article_file(body="x" * 100_001), "body: at most 100 KB"),
    "case-studies/bad-slug.md": (article_file(slug='"Bad Slug"'), "slug: lowercase words joined by hyphens"),
    "case-studies/taken-slug.md": (article_file(), "slug: taken by a playbook"),
    "case-studies/kind-list.md": (article_file(kind="[case_study]"), "kind: must be text"),
    "case-studies/typo.md": (article_file(titel="Oops"), "titel: unknown field"),
    "playbooks/in-the-wrong-folder.md": (article_file(), "kind: a case study belongs in case-studies/"),
}


def test_bad_files_are_each_named_with_field_and_reason_and_the_good_ones_still_load(runner, app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    playbook_author = make.user(agency=make.agency("ministry"))
    with app.app_context():
        create_article(get_user(playbook_author.id), {"title": "A playbook", "kind": "playbook", "summary": "Plays.",
                                                      "status": "published", "body": "## Play 1: Plan\n\nWhy."},
                       slug="taken-slug")
    files = {path: text for path, (text, _) in BAD_FILES.items()}
    files["case-studies/good-one.md"] = article_file(title="The first good one")
    files["playbooks/good-two.md"] = article_file(title="The second good one", kind="playbook")
    root = library(tmp_path, files)

    result = load(runner, root)

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = result.stderr.splitlines()
    for relative, (_, reason) in BAD_FILES.items():
        lines = [line for line in errors if line.startswith(f"{root / relative}: ")]
        assert len(lines) == 1, (relative, errors)
        assert reason in lines[0], lines[0]
    assert len(errors) == len(BAD_FILES)
    assert f"2 created, 0 updated, 0 unchanged, {len(BAD_FILES)} failed" in result.stdout
    assert {"good-one", "good-two", "taken-slug"} == set(snapshot(app))


def test_a_bad_agency_entry_is_reported_and_the_other_agencies_still_load(runner, app, tmp_path):
    from exchange.accounts.services import list_agencies

    bad = AGENCY_YML + "- slug: bad\n  name: Bad Domain Agency\n  domains: [not a domain]\n"
    root = library(tmp_path, {"case-studies/replies.md": article_file()}, agencies=bad)
    result = load(runner, root)
    assert result.exit_code == 1
    assert result.stderr == f"{root / 'agencies.yml'}: agency 2 (bad): domains: 'not a domain' is not a domain\n"
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in result.stdout
    with app.app_context():
        assert [a.slug for a in list_agencies()] == ["harbour"]


def test_two_files_with_one_slug_are_refused_after_the_first(runner, app, tmp_path):
    root = library(tmp_path, {"case-studies/a.md": article_file(slug="replies"),
                              "case-studies/b.md": article_file(slug="replies", title="A different title")})
    result = load(runner, root)
    assert result.exit_code == 1
    assert f"{root / 'case-studies/b.md'}: slug: also used by {root / 'case-studies/a.md'}" in result.stderr
    assert snapshot(app)["replies"]["title"] == "Answering residents within a day"


def test_an_agency_in_the_database_is_left_as_it_is_when_agencies_yml_names_it_differently(runner, app, tmp_path, make):
    from exchange.accounts.services import get_agency

    make.agency("harbour", name="Harbour Borough", acronym="HB", domains=["harbour-borough.example"])
    root = library(tmp_path, {"case-studies/replies.md": article_file()})
    result = load(runner, root)
    assert result.exit_code == 0, result.output
    with app.app_context():
        agency = get_agency("harbour")
        assert (agency.name, agency.acronym) == ("Harbour Borough", "HB")
        assert agency.domain_names == ["harbour-borough.example"]
    assert snapshot(app)["replies"]["agency"] == "harbour"


def test_articles_may_name_an_agency_that_agencies_yml_omits(runner, app, tmp_path, make):
    make.agency("harbour")
    root = library(tmp_path, {"case-studies/replies.md": article_file()}, agencies=None)
    result = load(runner, root)
    assert result.exit_code == 0, result.output
    assert snapshot(app)["replies"]["agency"] == "harbour"


def test_if_empty_skips_when_articles_exist(runner, app, tmp_path):
    root = library(tmp_path, {"case-studies/replies.md": article_file()})
    first = load(runner, root, "--if-empty")
    assert "1 created" in first.stdout
    (root / "case-studies/more.md").write_text(article_file(title="More"))
    result = load(runner, root, "--if-empty")
    assert result.exit_code == 0
    assert "already has articles; nothing loaded" in result.stdout
    assert set(snapshot(app)) == {"replies"}


def test_a_long_load_shows_progress_on_stderr_on_a_terminal(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("exchange.content.cli.PROGRESS_FROM", 1)
    monkeypatch.setattr("exchange.content.cli._on_terminal", lambda: True)
    root = library(tmp_path, {"case-studies/replies.md": article_file()})
    result = load(runner, root)
    assert "Loading articles" in result.stderr
    assert "Loading articles" not in result.stdout


def test_a_long_load_into_a_log_or_a_pipe_prints_only_its_summary(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("exchange.content.cli.PROGRESS_FROM", 1)
    root = library(tmp_path, {"case-studies/replies.md": article_file()})
    result = load(runner, root)  # the runner's stderr is not a terminal
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in result.stdout


TRICKY = {
    "title": 'Yes: "quoted", #hash and a colon',
    "summary": "- starts like a list item: and 'quotes'",
    # A blank-looking first line, an indented line, rules that look like front matter, trailing spaces.
    "body": (" \t\n    indented code after a blank-looking line\n\n---\n\nA line with two trailing spaces  \n"
             "next line\n\n---\ntitle: not meta\n  \t"),
    "tags": ["Öffentliche Daten", "no"],
}


def test_export_then_load_into_an_empty_instance_reproduces_every_article(runner, app, new_app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, create_article

    assert load(runner).exit_code == 0
    author = make.user(agency=make.agency("tricky-agency", name="Tricky: Agency", acronym="", level="other"))
    with app.app_context():
        user = get_user(author.id)
        create_article(user, {**TRICKY, "kind": "case_study", "status": "published", "evidence_level": 3,
                              "stage": "pilot", "review_by": "2027-03-31", "edit_policy": "open"}, slug="tricky")
        create_article(user, {"title": "A draft playbook", "kind": "playbook", "summary": "Not yet.", "body": ""})
        archive(user, create_article(user, {"title": "An old practice", "kind": "case_study", "summary": "Retired.",
                                            "status": "published", "stage": "retired", "body": "## Context\n\nOld."}))
    exported = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(exported)])
    assert result.exit_code == 0, result.output

    second = new_app(DATABASE_URL=f"sqlite:///{tmp_path / 'second.db'}")
    second_runner = second.test_cli_runner()
    assert second_runner.invoke(args=["db", "upgrade"]).exit_code == 0
    reloaded = second_runner.invoke(args=["content", "load", str(exported)])

    assert reloaded.exit_code == 0, reloaded.output
    original = snapshot(app)
    assert {"tricky", "a-draft-playbook", "an-old-practice"} <= set(original)
    assert snapshot(second) == original
    assert original["tricky"]["body"] == TRICKY["body"].rstrip("\n")


def test_export_is_deterministic_and_in_the_content_format(runner, tmp_path):
    assert load(runner).exit_code == 0
    first, second = tmp_path / "one", tmp_path / "two"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    assert runner.invoke(args=["content", "export", str(second)]).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    case_study = (first / "case-studies/northvale-ideas-portal.md").read_text()
    keys = [line.split(":")[0] for line in case_study.split("---\n")[1].splitlines()]
    assert keys == ["title", "slug", "kind", "agency", "tags", "summary", "evidence_level", "stage", "status",
                    "edit_policy", "review_by", "author", "created", "published"]
    playbook = (first / "playbooks/publishing-open-data.md").read_text()
    assert "evidence_level" not in playbook.split("---\n")[1]
    assert "review_by: 2027-06-30" in case_study
    assert "- slug: northvale-council" in (first / "agencies.yml").read_text()


def test_exported_library_loads_back_unchanged(runner, app, tmp_path):
    assert load(runner).exit_code == 0
    before = history(app)
    exported = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    result = load(runner, exported)
    assert f"0 created, 0 updated, {len(before)} unchanged, 0 failed" in result.stdout
    assert history(app) == before


def test_new_articles_of_one_load_link_to_each_other_whatever_their_order(runner, app, tmp_path):
    """New articles are created in batches; a link to one later in the same batch still resolves."""
    from exchange.articles.models import Article, ArticleLink
    from exchange.db import db

    root = library(tmp_path, {
        "case-studies/a-first.md": article_file(title="First", body="See [[Second practice]] and [[c-third]]."),
        "case-studies/b-second.md": article_file(title="Second practice"),
        "case-studies/c-third.md": article_file(title="Third", body="Back to [[a-first]]."),
    })
    assert load(runner, root).exit_code == 0
    with app.app_context():
        html = {a.slug: a.html for a in db.session.scalars(sa.select(Article))}
        assert 'href="/articles/b-second"' in html["a-first"] and 'href="/articles/c-third"' in html["a-first"]
        assert 'href="/articles/a-first"' in html["c-third"] and "wikilink-missing" not in "".join(html.values())
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ArticleLink)) == 3


def test_a_batch_refused_as_a_whole_is_loaded_one_by_one(runner, app, tmp_path, monkeypatch):
    """If creating a batch fails (here: a slug taken since the load began), each file is tried alone."""
    from exchange.content import library as content

    root = library(tmp_path, {"case-studies/taken.md": article_file(title="Taken"),
                              "case-studies/free.md": article_file(title="Free")})
    assert load(runner, root).exit_code == 0
    (root / "case-studies/fresh.md").write_text(article_file(title="Fresh"), encoding="utf-8")
    (root / "case-studies/taken.md").write_text(article_file(title="Taken, edited"), encoding="utf-8")
    loader_init = content._Loader.__init__

    def forgetful(self, directory, *rest):  # as if "taken" had been written by someone else after we looked
        loader_init(self, directory, *rest)
        self.existing.discard("taken")

    monkeypatch.setattr(content._Loader, "__init__", forgetful)
    result = load(runner, root)
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 1 unchanged, 0 failed" in result.output
    assert snapshot(app)["taken"]["title"] == "Taken, edited" and "fresh" in snapshot(app)


def test_export_then_load_keeps_a_draft_a_draft_with_its_clean_slug(runner, app, new_app, tmp_path, make):
    """A draft's private address is not in its file; loading finds the draft again by its clean slug."""
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    harbour, other = make.agency("harbour"), make.agency("other")
    with app.app_context():
        draft = create_article(get_user(make.user(agency=harbour).id),
                               {"title": "Road safety audits", "kind": "case_study", "summary": "Soon."})
        create_article(get_user(make.user(agency=other).id), {  # the other agency's, with the same clean slug
            "title": "Road safety audits", "kind": "case_study", "summary": "Ours.", "status": "published",
            "body": "## Context\n\nOurs."})
        create_article(get_user(make.user(agency=other).id),
                       {"title": "Bus lanes", "kind": "case_study", "summary": "Draft of other."})
    exported = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(exported)]).exit_code == 0
    texts = [p.read_text() for p in (exported / "case-studies").glob("*.md")]
    assert "--" not in " ".join(p.name for p in (exported / "case-studies").glob("*.md"))
    drafts = [t for t in texts if "status: draft" in t]
    assert sorted(t.split("slug: ")[1].split("\n")[0] for t in drafts) == ["bus-lanes", "road-safety-audits"]

    reloaded = load(runner, exported)  # into the same instance: the draft is found, not doubled
    assert "0 created, 0 updated, 3 unchanged, 0 failed" in reloaded.stdout, reloaded.output
    with app.app_context():
        from exchange.articles.services import get_article

        assert get_article(get_user(draft.author_id), draft.slug).status == "draft"

    second = new_app(DATABASE_URL=f"sqlite:///{tmp_path / 'second.db'}")
    second_runner = second.test_cli_runner()
    assert second_runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = second_runner.invoke(args=["content", "load", str(exported)])
    assert "3 created, 0 updated, 0 unchanged, 0 failed" in result.stdout, result.output
    assert _articles(second) == _articles(app)
    with second.app_context():
        from exchange.articles.models import Article
        from exchange.db import db

        slugs = {a.slug: a.status for a in db.session.scalars(sa.select(Article))}
        assert slugs.pop("road-safety-audits") == "published"
        assert sorted(s.partition("--")[0] for s in slugs) == ["bus-lanes", "road-safety-audits"]
        assert all("--" in s and status == "draft" for s, status in slugs.items())


def test_a_draft_file_named_like_another_agencys_draft_is_loaded_as_its_own(runner, app, tmp_path, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import create_article

    with app.app_context():  # a draft of another agency (made before harbour exists, so its load adds it)
        create_article(get_user(make.user(agency=make.agency("other")).id),
                       {"title": "Replies", "kind": "case_study", "summary": "Theirs."})
    root = library(tmp_path, {"case-studies/replies.md": article_file(status="published")})
    result = load(runner, root)
    assert "1 created" in result.stdout, result.output
    with app.app_context():
        from exchange.articles.services import get_article

        assert get_article(None, "replies").agency.slug == "harbour"


def _articles(app) -> list[tuple]:
    """(clean slug, agency, status, title) of every article."""
    from exchange.articles.models import Article
    from exchange.db import db

    with app.app_context():
        return sorted((a.slug.partition("--")[0], a.agency.slug, a.status, a.title)
                      for a in db.session.scalars(sa.select(Article)))


def test_a_load_leaves_the_planner_statistics_of_the_library_it_made(runner, app):
    """Without them SQLite walked every published article to find a few by key (see test_query_counts)."""
    from exchange.db import db

    assert load(runner).exit_code == 0
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            analysed = db.session.scalar(sa.text("SELECT stat FROM sqlite_stat1 "
                                                 "WHERE idx = 'ix_articles_status_score'"))
            assert analysed and int(analysed.split()[0]) >= 10  # rows in the table when it was analysed
        else:
            analysed = db.session.scalar(sa.text("SELECT last_analyze FROM pg_stat_user_tables "
                                                 "WHERE relname = 'articles'"))
            assert analysed is not None


def test_a_load_refreshes_the_statistics_as_the_library_doubles(runner, app, monkeypatch):
    """A load into an empty database kept the plans made for an empty table: on PostgreSQL every lookup by
    slug then read the whole table, and 100,000 articles took 48 minutes. The statistics are refreshed
    each time the articles created double (a few times in all), and once more at the end."""
    from exchange.articles.models import Article
    from exchange.content import library
    from exchange.db import db
    from tests.endorsements.helpers import counting_statements

    monkeypatch.setattr(library, "BATCH", 2)
    monkeypatch.setattr(library, "FIRST_ANALYZE", 2)
    with counting_statements(app) as statements:
        assert load(runner).exit_code == 0
    with app.app_context():
        created = db.session.scalar(sa.select(sa.func.count()).select_from(Article))
    analyzed = sum(1 for statement in statements if statement.strip().upper() == "ANALYZE")
    doublings = len([n for n in (2, 4, 8, 16, 32, 64, 128) if n <= created])
    assert created >= 8 and doublings <= analyzed <= doublings + 2
