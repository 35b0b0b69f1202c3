"""'Is this page useful?' on practices and help pages: yes or no and a comment, counted for admins and the
owning agency, never who answered."""
import sqlalchemy as sa

COUNTS = '<td data-label="Useful">2</td><td data-label="Not useful">1</td>'


def _answer(client, path, useful, comment=""):
    return client.post("/feedback", data={"path": path, "useful": useful, "comment": comment})


def test_articles_and_help_pages_ask_whether_they_are_useful(client, make):
    article = make.article()
    for path in (f"/articles/{article.slug}", "/search/help", "/about/privacy"):
        text = client.get(path).get_data(as_text=True)
        assert "Is this page useful?" in text and f'name="path" value="{path}"' in text, path


def test_a_visitor_answers_and_the_agency_and_admins_see_the_counts_and_comments(app, client, make, auth):
    article = make.article()
    path = f"/articles/{article.slug}"
    assert _answer(client, path, "yes").status_code == 302
    assert _answer(client, path, "yes").status_code == 302
    response = _answer(client, path, "no", "The results table has no units.")
    assert response.status_code == 302 and response.headers["Location"] == path
    assert "Thank you for your feedback" in client.get(path).get_data(as_text=True)

    colleague = make.user(agency=article.agency)
    auth.login(colleague)
    text = client.get(f"/agencies/{article.agency.slug}/feedback").get_data(as_text=True)
    assert f">{article.title}</a></td>{COUNTS}" in text
    assert "The results table has no units." in text
    auth.logout()
    auth.login(make.admin())
    assert f">{article.title}</a></td>{COUNTS}" in client.get("/admin/feedback").get_data(as_text=True)


def test_no_identity_is_kept_even_for_members(app, client, make, auth):
    from exchange.db import db
    from exchange.pages.models import PageFeedback

    member = make.user()
    auth.login(member)
    _answer(client, "/about", "no", "Say who runs it.")
    with app.app_context():
        row = db.session.scalar(sa.select(PageFeedback))
        assert (row.path, row.useful, row.comment) == ("/about", False, "Say who runs it.")
        assert not {"user_id", "ip", "address", "session"} & set(PageFeedback.__table__.columns.keys())


def test_other_agencies_do_not_see_an_agencys_feedback(client, make, auth):
    article = make.article()
    auth.login(make.user())
    assert client.get(f"/agencies/{article.agency.slug}/feedback").status_code == 403


def test_an_agency_sees_only_feedback_on_its_own_practices(client, make, auth):
    ours, theirs = make.article(), make.article()
    _answer(client, f"/articles/{ours.slug}", "yes")
    _answer(client, f"/articles/{theirs.slug}", "no", "Theirs only.")
    auth.login(make.user(agency=ours.agency))
    text = client.get(f"/agencies/{ours.agency.slug}/feedback").get_data(as_text=True)
    assert ours.title in text and theirs.title not in text and "Theirs only." not in text


def test_the_agency_page_links_its_staff_to_their_feedback(client, make, auth):
    article = make.article()
    link = f'href="/agencies/{article.agency.slug}/feedback"'
    assert link not in client.get(f"/agencies/{article.agency.slug}").get_data(as_text=True)
    auth.login(make.user(agency=article.agency))
    assert link in client.get(f"/agencies/{article.agency.slug}").get_data(as_text=True)


def test_a_draft_cannot_be_answered_by_outsiders(app, client, make):
    from exchange.db import db
    from exchange.pages.models import PageFeedback

    draft = make.article(status="draft")
    assert _answer(client, f"/articles/{draft.slug}", "yes").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PageFeedback)) == 0


def test_bad_answers_are_refused_clearly_and_store_nothing(app, client, make):
    from exchange.db import db
    from exchange.pages.models import PageFeedback

    article = make.article()
    response = _answer(client, f"/articles/{article.slug}", "maybe", "Kept comment")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "Choose Yes or No." in text and "Kept comment" in text
    assert _answer(client, "/admin/people", "yes").status_code == 422  # not a page that asks
    assert _answer(client, "https://evil.example/", "yes").status_code == 422
    assert _answer(client, f"/articles/{article.slug}", "yes", "x" * 2001).status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PageFeedback)) == 0


def test_answers_are_rate_limited_per_address(new_app, make):
    app = new_app(FEEDBACK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    statuses = [_answer(client, "/about", "yes").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_answering_keeps_the_visitors_article_page_cacheable(app, client, make):
    article = make.article()
    text = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    form = text.split('id="page-feedback"', 1)[1].split("</form>", 1)[0]
    assert "csrf_token" not in form
