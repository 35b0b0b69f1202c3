"""Moderators' decisions reach reporters, authors and the owning agency by email too (#20 item 10),
through the outbox and the real SMTP server, as each person chose."""
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.mail.conftest import text_of


def _flag_id(app):
    from exchange.community.models import Flag
    from exchange.db import db

    with app.app_context():
        return db.session.scalar(sa.select(Flag.id).order_by(Flag.id.desc()))


def _comment(app, user, article, body):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.community.services import add_comment

    with app.app_context():
        return add_comment(get_user(user.id), get_article(None, article.slug), body, None)


def _sign_in(client, user):
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_hiding_a_reported_comment_emails_the_reporter_and_the_author(app, client, make, smtp):
    article = make.article(title="Chatbots for council tax")
    author, reporter = make.user(), make.user()
    comment = _comment(app, author, article, "Buy cheap watches at our shop today, best prices in town.")
    smtp.wait_for(1, seconds=0.5)  # the article's author hears of the comment
    before = len(smtp.messages)
    _sign_in(client, reporter)
    client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    _sign_in(client, make.admin())
    client.post(f"/admin/moderation/comments/{comment.id}/hide")
    messages = smtp.wait_for(before + 2)[before:]
    by_address = {m.envelope_to[0]: m for m in messages}
    assert by_address[reporter.email]["Subject"].startswith("A moderator hid the comment you reported on")
    assert "“Buy cheap watches at our shop today, best prices in town.”" in text_of(by_address[reporter.email])
    assert by_address[author.email]["Subject"].startswith("A moderator hid your comment on")


def test_a_dismissed_flag_is_not_emailed_to_a_reporter_who_chose_none(app, client, make, smtp):
    author, reporter = make.user(), make.user()
    article = make.article(author=author, title="Ferry timetables people read")
    _sign_in(client, reporter)
    client.post("/profile/notifications", data={"following": "weekly", "endorsements": "instant",
                                                 "comments": "instant", "replies": "instant", "moderation": "none"})
    client.post(f"/articles/{article.slug}/flag", data={"reason": "inaccurate"})
    _sign_in(client, make.admin())
    client.post(f"/admin/moderation/flags/{_flag_id(app)}/dismiss")
    messages = smtp.wait_for(2, seconds=1)
    assert [m.envelope_to for m in messages] == [[author.email]]
    assert "Someone reported your practice “Ferry timetables people read”" in messages[0]["Subject"]


def test_a_review_request_is_emailed_to_the_agency_staff(app, client, make, smtp):
    harbour = make.agency("harbour", name="Harbour Council")
    author, colleague = make.user(agency=harbour), make.user(agency=harbour)
    outsider = make.user()
    article = make.article(author=author, title="Ferry timetables people read")
    _sign_in(client, make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "out_of_date"})
    _sign_in(client, make.admin(name="Priya Shah"))
    client.post(f"/admin/moderation/flags/{_flag_id(app)}/refer")
    messages = smtp.wait_for(3)
    staff = {m.envelope_to[0] for m in messages if "asked Harbour Council to review it" in m["Subject"]}
    assert staff == {author.email, colleague.email}
    assert outsider.email not in {m.envelope_to[0] for m in messages}
