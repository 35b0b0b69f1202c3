"""Moderation closes the loop (#20 item 10): reporters and authors hear what came of a report, and an
"out of date" report can be passed to the owning agency as a review request."""
import sqlalchemy as sa


def _flag_ids(app):
    from exchange.community.models import Flag
    from exchange.db import db

    with app.app_context():
        return list(db.session.scalars(sa.select(Flag.id).order_by(Flag.id)))


def _texts(client, auth, user):
    auth.logout()
    auth.login(user)
    return client.get("/notifications").data.decode()


def test_hiding_a_reported_comment_tells_the_reporter_and_the_author(app, client, make, community, auth):
    article = make.article(title="Chatbots for council tax")
    author, reporter = make.user(name="Carl Commenter"), make.user(name="Rhys Reporter")
    comment = community.comment(author, article, "Buy cheap watches at our shop today, best prices in town.")
    auth.login(reporter)
    client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    auth.logout()
    auth.login(make.admin())
    client.post(f"/admin/moderation/comments/{comment.id}/hide")
    page = _texts(client, auth, reporter)
    assert "A moderator hid the comment you reported on “Chatbots for council tax”." in page
    assert "“Buy cheap watches at our shop today, best prices in town.”" in page  # the comment, quoted
    page = _texts(client, auth, author)
    assert "A moderator hid your comment on “Chatbots for council tax” under the house rules." in page


def test_dismissing_a_flag_tells_the_reporter_and_the_author(app, client, make, community, auth):
    author, reporter = make.user(name="Ada Author"), make.user(name="Rhys Reporter")
    article = make.article(author=author, title="Ferry timetables people read")
    auth.login(reporter)
    client.post(f"/articles/{article.slug}/flag", data={"reason": "inaccurate"})
    auth.logout()
    auth.login(make.admin())
    [flag_id] = _flag_ids(app)
    client.post(f"/admin/moderation/flags/{flag_id}/dismiss")
    page = _texts(client, auth, reporter)
    assert "A moderator looked at what you reported on “Ferry timetables people read” and left it as it is." in page
    page = _texts(client, auth, author)
    assert "Someone reported your practice “Ferry timetables people read”; a moderator looked and left it" in page


def test_an_out_of_date_report_is_passed_to_the_agency_as_a_review_request(app, client, make, community, auth):
    harbour = make.agency("harbour", name="Harbour Council")
    author = make.user(name="Ada Author", agency=harbour)
    colleague = make.user(name="Col League", agency=harbour)
    outsider = make.user(name="Olly Outsider")
    reporter = make.user(name="Rhys Reporter")
    article = make.article(author=author, title="Ferry timetables people read")
    auth.login(reporter)
    form = client.get(f"/articles/{article.slug}/flag").data.decode()
    assert 'value="out_of_date"' in form and "Out of date" in form
    client.post(f"/articles/{article.slug}/flag", data={"reason": "out_of_date", "details": "Fares changed in 2025."})
    auth.logout()
    auth.login(make.admin(name="Priya Shah"))
    queue = client.get("/admin/moderation").data.decode()
    [flag_id] = _flag_ids(app)
    assert f'action="/admin/moderation/flags/{flag_id}/refer"' in queue
    assert client.post(f"/admin/moderation/flags/{flag_id}/refer").status_code == 302
    assert "Open flags (0)" in client.get("/admin/moderation").data.decode()
    assert "Priya Shah asked the agency to review “Ferry timetables people read”" in \
        client.get("/admin/audit").data.decode()
    for person in (author, colleague):
        page = _texts(client, auth, person)
        assert "may be out of date: Priya Shah asked Harbour Council to review it." in page
    assert "Ferry timetables" not in _texts(client, auth, outsider)
    assert "passed your report that “Ferry timetables people read” is out of date to Harbour Council" in \
        _texts(client, auth, reporter)
    shown = client.get(f"/articles/{article.slug}").data.decode()
    assert "Review requested." in shown and "Fares changed in 2025." in shown


def test_the_review_request_clears_once_the_agency_updates_the_practice(app, client, make, community, auth):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, update_article

    author = make.user()
    article = make.article(author=author)
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "out_of_date"})
    auth.logout()
    auth.login(make.admin())
    client.post(f"/admin/moderation/flags/{_flag_ids(app)[0]}/refer")
    assert "Review requested." in client.get(f"/articles/{article.slug}").data.decode()
    with app.app_context():
        current = get_article(None, article.slug)
        update_article(get_user(author.id), current, {"summary": "Checked in 2026."}, current.revision)
    assert "Review requested." not in client.get(f"/articles/{article.slug}").data.decode()


def test_only_an_out_of_date_report_on_an_article_can_be_passed_on(app, client, make, community, auth):
    article = make.article()
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "spam"})
    auth.logout()
    auth.login(make.admin())
    [flag_id] = _flag_ids(app)
    assert f"/flags/{flag_id}/refer" not in client.get("/admin/moderation").data.decode()
    assert client.post(f"/admin/moderation/flags/{flag_id}/refer").status_code == 409
    assert "Open flags (1)" in client.get("/admin/moderation").data.decode()


def test_notifications_quote_the_comment_and_say_practice(app, client, make, community, auth):
    author = make.user()
    article = make.article(author=author, title="Chatbots for council tax")
    community.comment(make.user(name="Carl Commenter"), article, "We tried this in Leeds and cut calls by 20%.")
    page = _texts(client, auth, author)
    assert "Carl Commenter commented on your practice “Chatbots for council tax”." in page
    assert "“We tried this in Leeds and cut calls by 20%.”" in page
    assert "your article" not in page
