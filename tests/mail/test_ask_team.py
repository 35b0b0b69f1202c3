""""Ask the team about this practice": emailed through the outbox to the author and the agency's contact,
their addresses never shown to the asker, rate-limited, logged for admins, refused to the unverified."""
import sqlalchemy as sa

from exchange.accounts.models import Agency
from exchange.community.models import TeamQuestion
from exchange.db import db
from tests.mail.conftest import html_of, text_of

QUESTION = "How did you staff the reply desk at weekends?\nWe are a council of 40,000 people."


def _set_contact(app, agency, address):
    with app.app_context():
        db.session.get(Agency, agency.id).contact_email = address
        db.session.commit()


def _questions(app) -> list[TeamQuestion]:
    with app.app_context():
        return db.session.scalars(sa.select(TeamQuestion)).all()


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.text("SELECT count(*) FROM mail_outbox"))


def test_question_is_emailed_to_author_and_agency_contact_with_reply_to_the_asker(client, app, make, auth, smtp):
    author = make.user(name="Ada Author")
    article = make.article(author, title="Weekend reply desk")
    _set_contact(app, author.agency, "team@contact.example.gov")
    asker = make.user(name="Ben Asker")
    auth.login(asker)
    response = client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/articles/{article.slug}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your question is sent" in page
    assert author.email not in page and "team@contact.example.gov" not in page
    messages = smtp.wait_for(2)
    assert sorted(address for m in messages for address in m.envelope_to) == sorted(
        [author.email, "team@contact.example.gov"])
    for message in messages:
        assert len(message.envelope_to) == 1  # one email each: no recipient sees another
        assert message["Reply-To"] == f"Ben Asker <{asker.email}>"
        assert message["Subject"] == "Ben Asker asks about your practice “Weekend reply desk”"
        assert "How did you staff the reply desk at weekends?" in text_of(message)
        assert "How did you staff the reply desk at weekends?" in html_of(message)
        assert f"/articles/{article.slug}" in text_of(message)
        assert "reply to this email" in text_of(message)
    [question] = _questions(app)
    assert question.recipients == 2 and question.body == QUESTION


def test_visitor_is_sent_to_sign_in_and_nothing_is_sent(client, app, make, smtp):
    article = make.article(title="Weekend reply desk")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Ask the team about this practice" in page and "to ask the people behind this practice" in page
    response = client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _questions(app) == [] and _outbox(app) == 0


def test_unverified_member_is_refused_with_a_clear_message(client, app, make, auth, smtp):
    article = make.article(title="Weekend reply desk")
    auth.login(make.user(verified=False))
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Confirm your email address first" in page and 'name="body"' not in page.split("ask-team", 1)[1]
    for response in (client.get(f"/articles/{article.slug}/ask"),
                     client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION})):
        assert response.status_code == 403
        assert "Confirm your email address first" in response.get_data(as_text=True)
    assert _questions(app) == [] and _outbox(app) == 0


def test_empty_and_too_long_questions_are_refused_and_change_nothing(client, app, make, auth, smtp):
    article = make.article(title="Weekend reply desk")
    auth.login(make.user())
    empty = client.post(f"/articles/{article.slug}/ask", data={"body": "   \n "})
    assert empty.status_code == 422 and "Enter your question." in empty.get_data(as_text=True)
    assert "<title>Error:" in empty.get_data(as_text=True)
    long = "x" * 2001
    too_long = client.post(f"/articles/{article.slug}/ask", data={"body": long})
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 422 and "shorten it to 2,000 or fewer" in page
    assert long in page  # what was typed is kept
    assert _questions(app) == [] and _outbox(app) == 0


def test_draft_is_404_and_withdrawn_practice_is_refused(client, app, make, auth, smtp):
    author = make.user()
    draft = make.article(author, title="Unpublished desk", status="draft")
    auth.login(make.user(agency=make.agency("elsewhere")))
    assert client.get(f"/articles/{draft.slug}/ask").status_code == 404
    assert client.post(f"/articles/{draft.slug}/ask", data={"body": QUESTION}).status_code == 404
    withdrawn = make.article(author, title="Old desk")
    with app.app_context():
        from exchange.accounts.services import get_user
        from exchange.articles.models import Article
        from exchange.articles.services import archive

        archive(get_user(author.id), db.session.get(Article, withdrawn.id), "Replaced.")
    response = client.post(f"/articles/{withdrawn.slug}/ask", data={"body": QUESTION})
    assert response.status_code == 403 and "withdrawn" in response.get_data(as_text=True)
    assert "ask-team" not in client.get(f"/articles/{withdrawn.slug}").get_data(as_text=True)
    assert _questions(app) == [] and _outbox(app) == 0


def test_a_practice_with_no_one_to_receive_questions_says_so(client, app, make, auth, smtp):
    author = make.user()
    article = make.article(author, title="Weekend reply desk")
    with app.app_context():  # a departed author gets no email, and the agency has no contact address
        from exchange.accounts.models import User

        db.session.get(User, author.id).active = False
        db.session.commit()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION})
    assert response.status_code == 422 and "can receive questions by email just now" in response.get_data(as_text=True)
    assert _questions(app) == [] and _outbox(app) == 0


def test_questions_are_rate_limited_per_person_keeping_the_text(new_app, make, smtp):
    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", ASK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    article = make.article(title="Weekend reply desk")
    client.post("/login", data={"email": make.user().email, "password": "correct horse battery staple"})
    refused = client.post(f"/articles/{article.slug}/ask", data={"body": ""})
    assert refused.status_code == 422  # a refused question costs nothing
    for _ in range(2):
        assert client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION}).status_code == 302
    over = client.post(f"/articles/{article.slug}/ask", data={"body": "One more question."})
    assert over.status_code == 429
    assert "several questions in a short time" in over.get_data(as_text=True)
    assert "One more question." in over.get_data(as_text=True)
    assert len(_questions(app)) == 2


def test_admins_see_each_question_listed_and_in_the_audit_log(client, app, make, auth, smtp):
    article = make.article(title="Weekend reply desk")
    asker = make.user(name="Ben Asker")
    auth.login(asker)
    client.post(f"/articles/{article.slug}/ask", data={"body": QUESTION})
    auth.logout()
    auth.login(make.admin())
    listing = client.get("/admin/questions")
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Ben Asker" in page and "Weekend reply desk" in page and "How did you staff" in page
    assert "1 person" in page
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "sent a question to the team behind" in audit and "Weekend reply desk" in audit


def test_members_may_not_see_the_admin_list(client, make, auth, smtp):
    auth.login(make.user())
    assert client.get("/admin/questions").status_code == 403


def test_admin_sets_and_clears_the_agency_contact_address(client, app, make, auth, smtp):
    agency = make.agency("lakeland")
    auth.login(make.admin())
    bad = client.post("/admin/agencies/lakeland/contact", data={"contact_email": "not an address"})
    assert bad.status_code == 302
    with app.app_context():
        assert db.session.get(Agency, agency.id).contact_email == ""
    client.post("/admin/agencies/lakeland/contact", data={"contact_email": "Team@Lakeland.example.gov"})
    with app.app_context():
        assert db.session.get(Agency, agency.id).contact_email == "team@lakeland.example.gov"
    assert "team@lakeland.example.gov" in client.get("/admin/agencies/lakeland/edit").get_data(as_text=True)
    client.post("/admin/agencies/lakeland/contact", data={"contact_email": ""})
    with app.app_context():
        assert db.session.get(Agency, agency.id).contact_email == ""


def test_verified_member_sees_the_form_on_the_article_page(client, make, auth, smtp):
    article = make.article(title="Weekend reply desk")
    auth.login(make.user())
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    panel = page.split('id="ask-team"', 1)[1]
    assert f'action="/articles/{article.slug}/ask"' in panel and 'name="body"' in panel
