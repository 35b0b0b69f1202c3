"""Plain comments under a challenge: the house rules, holds and moderation of article comments, and drafts stay
the asking agency's own."""
import html

import pytest
import sqlalchemy as sa

from tests.community.conftest import GOOD_COMMENT
from tests.conftest import bearer

LINKED = "The county's write-up is at https://example.org/report and has the numbers we used."


@pytest.fixture
def people(make):
    beta = make.agency("beta-city", name="Beta City Council")
    alpha = make.agency("alpha-county", name="Alpha County")
    return {"asker": make.user(agency=beta, name="Bea Asker"),
            "colleague": make.user(agency=beta, name="Cal Colleague"),
            "unverified_colleague": make.user(agency=beta, name="Una Unverified", verified=False),
            "outsider": make.user(agency=alpha, name="Al Outsider"), "admin": make.admin(name="Ada Admin"),
            "unverified": make.user(agency=alpha, name="Ned New", verified=False)}


def _challenge(client, make, person, status="open") -> str:
    response = client.post("/api/v1/challenges", json={
        "title": "Replying to residents about bins", "problem": "Residents wait weeks for a reply.",
        "tags": ["waste"], "status": status}, headers=bearer(make.token(person)))
    assert response.status_code == 201, response.json
    return response.json["slug"]


def _age(app, *people, days=30):
    from datetime import timedelta

    from exchange.accounts.models import User
    from exchange.db import db, utcnow

    with app.app_context():
        for person in people:
            db.session.get(User, person.id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def _comments(app):
    from exchange.community.models import Comment
    from exchange.db import db

    with app.app_context():
        return [(c.challenge_id, c.article_id, c.author_id, c.status, c.body)
                for c in db.session.scalars(sa.select(Comment).order_by(Comment.id))]


def _kinds(app, person):
    from exchange.community.models import Notification
    from exchange.db import db

    with app.app_context():
        return [(n.kind, n.actor_id) for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == person.id).order_by(Notification.id))]


def test_a_member_comments_on_the_page_and_everyone_reads_it(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    response = client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT})
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    [(challenge_id, article_id, author_id, status, body)] = _comments(app)
    assert challenge_id and article_id is None and author_id == people["outsider"].id and status == "published"
    auth.logout()
    page = client.get(f"/challenges/{slug}").data.decode()
    assert GOOD_COMMENT in page and "Comments <span class=\"count\">(1)</span>" in page
    assert "Sign in</a> to join the conversation" in page and 'action="/challenges/' not in page.split("comments")[-1]


def test_the_asking_agency_s_staff_are_told_once(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT})
    for person in ("asker", "colleague"):
        assert _kinds(app, people[person]) == [("challenge_comment", people["outsider"].id)]
    assert _kinds(app, people["outsider"]) == [] and _kinds(app, people["unverified_colleague"]) == []
    auth.logout()
    auth.login(people["colleague"])
    page = html.unescape(client.get("/notifications").data.decode())
    assert "Al Outsider commented on your agency's challenge “Replying to residents about bins”." in page
    assert f"/challenges/{slug}#comment-" in page


@pytest.mark.parametrize("body, message", [
    ("", "Enter a comment."), ("   ", "Enter a comment."), ("x" * 10_001, "10"),
    ("Great post!", "Comments here need to add something"),
    ("See https://a.example.org and https://b.example.org for more on this", "at most one link"),
])
def test_bad_comments_are_refused_with_a_reason_and_change_nothing(app, client, make, auth, people, body, message):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    response = client.post(f"/challenges/{slug}/comments", data={"body": body})
    assert response.status_code == 422
    assert message in response.data.decode()
    assert _comments(app) == [] and _kinds(app, people["asker"]) == []


def test_the_same_comment_twice_in_a_minute_is_refused(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    assert client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT}).status_code == 302
    response = client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT})
    assert response.status_code == 409 and "You sent this same comment a moment ago" in response.data.decode()
    assert len(_comments(app)) == 1


def test_unverified_members_and_visitors_cannot_comment(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    assert client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT}).status_code == 302  # sign in
    auth.login(people["unverified"])
    assert client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT}).status_code == 403
    assert "Confirm your email address" in client.get(f"/challenges/{slug}").data.decode()
    assert _comments(app) == []


def test_a_draft_s_comments_are_its_agency_s_own(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"], status="draft")
    auth.login(people["colleague"])
    assert client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT}).status_code == 302
    [(_, _, _, _, _)] = _comments(app)
    assert GOOD_COMMENT in client.get(f"/challenges/{slug}").data.decode()
    assert _kinds(app, people["asker"]) == [("challenge_comment", people["colleague"].id)]
    auth.logout()
    auth.login(people["asker"])
    page = client.get("/notifications").data.decode()
    assert f"/challenges/{slug}#comment-" in page  # the asker's colleagues see where it is
    auth.logout()
    from exchange.community.models import Comment
    from exchange.db import db

    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id))
    auth.login(people["outsider"])
    assert client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT + " Too."}).status_code == 404
    assert client.get(f"/comments/{comment_id}/flag").status_code == 404
    assert client.get(f"/api/v1/comments/{comment_id}", headers=bearer(make.token(people["outsider"]))
                      ).status_code == 404
    auth.logout()
    assert client.get(f"/api/v1/comments/{comment_id}").status_code == 404
    assert len(_comments(app)) == 1


def test_the_author_edits_and_deletes_their_comment(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT})
    from exchange.community.models import Comment
    from exchange.db import db

    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id))
    form = client.get(f"/comments/{comment_id}/edit").data.decode()
    assert f'href="/challenges/{slug}#comments"' in form
    response = client.post(f"/comments/{comment_id}/edit", data={"body": GOOD_COMMENT + " Edited."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/challenges/{slug}#comment-{comment_id}")
    assert _comments(app)[0][4] == GOOD_COMMENT + " Edited."
    response = client.post(f"/comments/{comment_id}/delete")
    assert response.headers["Location"].endswith(f"/challenges/{slug}#comments")
    assert _comments(app)[0][3] == "deleted"
    auth.logout()
    auth.login(people["colleague"])
    assert client.post(f"/comments/{comment_id}/edit", data={"body": "Not mine to change at all, really."}
                       ).status_code in (403, 404)


def test_a_link_from_a_new_account_waits_in_the_moderation_queue(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    response = client.post(f"/challenges/{slug}/comments", data={"body": LINKED})
    assert response.status_code == 302
    [(_, _, _, status, _)] = _comments(app)
    assert status == "pending" and _kinds(app, people["asker"]) == []
    auth.logout()
    assert LINKED not in client.get(f"/challenges/{slug}").data.decode()
    auth.login(people["admin"])
    queue = client.get("/admin/moderation").data.decode()
    assert "on the challenge" in queue and f'href="/challenges/{slug}#comment-' in queue
    assert "Replying to residents about bins" in queue and "example.org/report" in queue
    from exchange.community.models import Comment
    from exchange.db import db

    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id))
    assert client.post(f"/admin/moderation/comments/{comment_id}/approve").status_code == 302
    assert _comments(app)[0][3] == "published"
    assert ("challenge_comment", people["outsider"].id) in _kinds(app, people["asker"])
    auth.logout()
    assert "example.org/report" in client.get(f"/challenges/{slug}").data.decode()
    auth.login(people["outsider"])  # the author hears of it, with the challenge named and linked
    page = html.unescape(client.get("/notifications").data.decode())
    assert "A moderator approved your comment on “Replying to residents about bins”" in page
    assert f'href="/challenges/{slug}#comment-{comment_id}"' in page


def test_a_reported_comment_reaches_the_queue_and_can_be_hidden(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    auth.login(people["outsider"])
    client.post(f"/challenges/{slug}/comments", data={"body": GOOD_COMMENT})
    auth.logout()
    from exchange.community.models import Comment, Flag
    from exchange.db import db

    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id))
    auth.login(people["colleague"])
    form = client.get(f"/comments/{comment_id}/flag")
    assert form.status_code == 200 and "Replying to residents about bins" in form.data.decode()
    assert client.post(f"/comments/{comment_id}/flag", data={"reason": ""}).status_code == 422
    response = client.post(f"/comments/{comment_id}/flag", data={"reason": "spam"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#comment-{comment_id}")
    client.post(f"/comments/{comment_id}/flag", data={"reason": "offensive"})  # a repeat updates the first
    with app.app_context():
        flags = db.session.scalars(sa.select(Flag)).all()
        assert [(f.comment_id, f.article_id, f.reason) for f in flags] == [(comment_id, None, "offensive")]
    auth.logout()
    auth.login(people["admin"])
    queue = client.get("/admin/moderation").data.decode()
    assert "A comment by Al Outsider on the challenge" in queue and "Hide the comment" in queue
    assert "Archive the article" not in queue
    with app.app_context():
        flag_id = db.session.scalar(sa.select(Flag.id))
    assert client.post(f"/admin/moderation/flags/{flag_id}/archive").status_code == 409  # no article: refused
    assert client.post(f"/admin/moderation/comments/{comment_id}/hide").status_code == 302
    assert _comments(app)[0][3] == "hidden"
    auth.logout()
    assert GOOD_COMMENT not in client.get(f"/challenges/{slug}").data.decode()


def test_a_comment_is_on_an_article_or_a_challenge_never_both_nor_neither(app, make, people):
    from sqlalchemy.exc import IntegrityError

    from exchange.community.models import Comment
    from exchange.db import db

    article = make.article()
    with app.app_context():
        db.session.add(Comment(author_id=people["outsider"].id, body="x", html="x"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        from exchange.challenges.models import Challenge

        challenge = Challenge(slug="c", title="C", agency_id=people["asker"].agency_id,
                              author_id=people["asker"].id, status="open")
        db.session.add(challenge)
        db.session.commit()
        db.session.add(Comment(author_id=people["outsider"].id, body="x", html="x", article_id=article.id,
                               challenge_id=challenge.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_api_lists_and_adds_comments_under_a_challenge(app, client, make, people):
    slug = _challenge(client, make, people["asker"])
    outsider = bearer(make.token(people["outsider"]))
    response = client.post(f"/api/v1/challenges/{slug}/comments", json={"body": GOOD_COMMENT}, headers=outsider)
    assert response.status_code == 201 and response.json["status"] == "published"
    assert response.json["url"] == f"/challenges/{slug}#comment-{response.json['id']}"
    assert client.get(response.headers["Location"]).json["body"] == GOOD_COMMENT
    assert client.post(f"/api/v1/challenges/{slug}/comments", json={"body": GOOD_COMMENT},
                       headers=outsider).status_code == 409
    for body in ({"body": ""}, {"body": "Thanks!"}, {"body": 3}, {}):
        assert client.post(f"/api/v1/challenges/{slug}/comments", json=body, headers=outsider).status_code == 422
    assert client.post(f"/api/v1/challenges/{slug}/comments", json={"body": GOOD_COMMENT, "parent_id": 1},
                       headers=outsider).status_code == 422
    listed = client.get(f"/api/v1/challenges/{slug}/comments").json
    assert listed["total"] == 1 and [c["body"] for c in listed["items"]] == [GOOD_COMMENT]
    assert len(_comments(app)) == 1


def test_the_api_keeps_a_draft_s_comments_to_its_agency(app, client, make, people):
    slug = _challenge(client, make, people["asker"], status="draft")
    colleague = bearer(make.token(people["colleague"]))
    assert client.post(f"/api/v1/challenges/{slug}/comments", json={"body": GOOD_COMMENT},
                       headers=colleague).status_code == 201
    outsider = bearer(make.token(people["outsider"]))
    assert client.post(f"/api/v1/challenges/{slug}/comments", json={"body": GOOD_COMMENT + " Me too."},
                       headers=outsider).status_code == 404
    assert client.get(f"/api/v1/challenges/{slug}/comments", headers=outsider).status_code == 404
    assert client.get(f"/api/v1/challenges/{slug}/comments").status_code == 404
    assert client.get(f"/api/v1/challenges/{slug}/comments", headers=colleague).json["total"] == 1
    assert len(_comments(app)) == 1


def test_the_comment_limit_is_shared_with_articles_and_keeps_the_text(app, client, make, auth, people):
    slug = _challenge(client, make, people["asker"])
    article = make.article()
    auth.login(people["outsider"])
    for n in range(3):
        assert client.post(f"/articles/{article.slug}/comments",
                           data={"body": f"Our pilot number {n} in Leeds cut calls."}).status_code == 302
    for n in range(2):
        assert client.post(f"/challenges/{slug}/comments",
                           data={"body": f"Our weekend rota number {n} in Leeds cut waits."}).status_code == 302
    typed = "A long thought about our weekend rota in York, which I would hate to type again."
    response = client.post(f"/challenges/{slug}/comments", data={"body": typed})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert typed in page and "<textarea" in page and "Wait a minute" in page
    assert len([c for c in _comments(app) if c[0]]) == 2
