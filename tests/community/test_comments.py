"""Comments on published articles, in the page and the API: add, reply, edit, delete, and what readers see."""
import pytest

from tests.community.conftest import GOOD_COMMENT, active_content
from tests.conftest import bearer

HOSTILE = [
    "<script>alert(1)</script> Our pilot in Leeds cut calls.",
    "Our pilot report: [the report](javascript:alert(1))",
    "Our pilot report: [the report](JaVaScRiPt:alert(document.cookie))",
    "Our pilot report: [the report](java\tscript:alert(1))",
    "Our pilot report: [the report](&#106;avascript:alert(1))",
    "Our pilot report: [the report](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<img src=x onerror=alert(1)> our pilot results",
    '<a href="javascript:alert(1)" onclick="alert(2)">our pilot data</a>',
    "<iframe src=//evil.example></iframe> pilot evidence",
    "<style>body{display:none}</style> pilot evidence",
    '" onmouseover="alert(1)" data-x=" pilot evidence',
    "![pilot chart](javascript:alert(1)) pilot evidence",
    "<svg onload=alert(1)> pilot evidence",
    "[pilot evidence](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_comments_render_inert_whatever_they_contain(client, make, community, body):
    article = make.article()
    user = community.established(make.user(), article)
    response = community.post(make.token(user), article, body)
    assert response.status_code == 201
    assert active_content(response.json["html"]) == []
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "pilot" in page
    assert active_content(page) == []


def test_member_comments_from_the_article_page(client, make, auth):
    article = make.article()
    auth.login(make.user(name="Rosa Reader"))
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert f'action="/articles/{article.slug}/comments"' in page and 'name="body"' in page
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "We tried *this* in Leeds."})
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "<em>this</em>" in page and "Rosa Reader" in page and "Comments <span class=\"count\">(1)</span>" in page


def test_visitor_sees_comments_and_an_invitation_to_sign_in(client, make, community):
    article = make.article()
    community.comment(make.user(), article, "Our council saw the same drop in calls.")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "Our council saw the same drop in calls." in page
    assert "to join the conversation" in page and 'name="body"' not in page


def test_visitor_cannot_comment(client, make):
    article = make.article()
    assert client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": GOOD_COMMENT}).status_code == 401
    response = client.post(f"/articles/{article.slug}/comments", data={"body": GOOD_COMMENT})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_public_list_in_the_api(client, make, community):
    article = make.article()
    author = make.user(name="Ada Author")
    first = community.comment(author, article, "How did you measure the drop?")
    community.comment(make.user(), article, "We used call logs from the contact centre.", parent=first)
    response = client.get(f"/api/v1/articles/{article.slug}/comments")
    assert response.status_code == 200 and response.json["total"] == 2
    [item] = response.json["items"]
    assert item["body"] == "How did you measure the drop?" and item["author"]["name"] == "Ada Author"
    assert item["html"] == "<p>How did you measure the drop?</p>\n"
    assert [r["body"] for r in item["replies"]] == ["We used call logs from the contact centre."]


def test_comments_on_a_draft_do_not_exist(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft")
    colleague = make.user(agency=author.agency)
    token = make.token(colleague)
    assert client.get(f"/api/v1/articles/{draft.slug}/comments", headers=bearer(token)).status_code == 404
    assert client.post(f"/api/v1/articles/{draft.slug}/comments", json={"body": GOOD_COMMENT},
                       headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/articles/{draft.slug}/comments").status_code == 404
    auth.login(colleague)
    assert client.post(f"/articles/{draft.slug}/comments", data={"body": GOOD_COMMENT}).status_code == 404
    assert 'id="comments"' not in client.get(f"/articles/{draft.slug}").data.decode()


def test_archived_article_keeps_its_comments_but_takes_no_new_ones(client, make, community, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    author = make.user()
    article = make.article(author)
    community.comment(make.user(), article, "Our council saw the same drop in calls.")
    with app.app_context():
        archive(get_user(author.id), get_article(None, article.slug))
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 1
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": GOOD_COMMENT},
                           headers=bearer(make.token(make.user())))
    assert response.status_code == 403 and "closed" in response.json["error"]["message"]


def test_reply_is_one_level_deep(client, make, community):
    article = make.article()
    token = make.token(make.user())
    top = community.post(token, article, "How did you measure the drop?").json
    reply = community.post(token, article, "We used the call logs.", parent_id=top["id"]).json
    answer = community.post(token, article, "Which logs exactly?", parent_id=reply["id"]).json
    assert reply["parent_id"] == top["id"] and answer["parent_id"] == top["id"]
    items = client.get(f"/api/v1/articles/{article.slug}/comments").json["items"]
    assert len(items) == 1 and len(items[0]["replies"]) == 2


def test_reply_to_a_comment_elsewhere_is_refused(client, make, community):
    here, there = make.article(), make.article()
    elsewhere = community.comment(make.user(), there, "How did you measure the drop?")
    response = community.post(make.token(make.user()), here, "We used the call logs.", parent_id=elsewhere.id)
    assert response.status_code == 422 and "parent_id" in response.json["error"]["fields"]


def test_reply_from_the_page(client, make, community, auth):
    article = make.article()
    top = community.comment(make.user(), article, "How did you measure the drop?")
    auth.login(make.user())
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert f'name="parent_id" value="{top.id}"' in page and "<summary>Reply" in page
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "Call logs.", "parent_id": top.id})
    assert response.status_code == 302
    comments = client.get(f"/api/v1/articles/{article.slug}/comments").json
    assert comments["items"][0]["replies"][0]["body"] == "Call logs."


def test_author_edits_their_comment(client, make, community, auth):
    article = make.article()
    user = make.user()
    comment = community.comment(user, article, "We tried this in Leeds.")
    auth.login(user)
    form = client.get(f"/comments/{comment.id}/edit").data.decode()
    assert "We tried this in Leeds." in form
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "We tried this in Leeds and York."})
    assert response.status_code == 302
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "We tried this in Leeds and York." in page and "edited" in page


def test_edit_follows_the_house_rules_and_keeps_the_text(client, make, community, auth):
    article = make.article()
    user = make.user()
    comment = community.comment(user, article, "We tried this in Leeds.")
    auth.login(user)
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "thanks!!"})
    assert response.status_code == 422 and "thanks!!" in response.data.decode()
    assert client.get(f"/api/v1/comments/{comment.id}").json["body"] == "We tried this in Leeds."


def test_only_the_author_edits_or_deletes(client, make, community):
    article = make.article()
    comment = community.comment(make.user(), article, "We tried this in Leeds.")
    other = make.token(make.user())
    assert client.patch(f"/api/v1/comments/{comment.id}", json={"body": "We tried it in York."},
                        headers=bearer(other)).status_code == 403
    assert client.delete(f"/api/v1/comments/{comment.id}", headers=bearer(other)).status_code == 403
    admin = make.token(make.admin())
    assert client.patch(f"/api/v1/comments/{comment.id}", json={"body": "We tried it in York."},
                        headers=bearer(admin)).status_code == 403


def test_deleted_comment_disappears(client, make, community, auth):
    article = make.article()
    user = make.user()
    comment = community.comment(user, article, "We tried this in Leeds.")
    auth.login(user)
    assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json == {"items": [], "total": 0}
    assert "We tried this in Leeds." not in client.get(f"/articles/{article.slug}").data.decode()


def test_deleted_comment_with_replies_leaves_a_placeholder(client, make, community):
    article = make.article()
    user = make.user()
    token = make.token(user)
    top = community.post(token, article, "How did you measure the drop?").json
    community.comment(make.user(), article, "We used the call logs.", parent=_Ref(top["id"]))
    assert client.delete(f"/api/v1/comments/{top['id']}", headers=bearer(token)).status_code == 204
    [item] = client.get(f"/api/v1/articles/{article.slug}/comments").json["items"]
    assert item["status"] == "deleted" and item["body"] is None and item["author"] is None
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "deleted by its author" in page and "How did you measure" not in page and "We used the call logs." in page


class _Ref:
    def __init__(self, id):
        self.id = id


def test_hidden_comment_shows_as_hidden_or_not_at_all(client, make, community, app, auth):
    from exchange.accounts.services import get_user
    from exchange.curation import moderation

    article = make.article()
    writer, admin = make.user(), make.admin()
    alone = community.comment(writer, article, "Buy cheap watches at our shop today.")
    answered = community.comment(writer, article, "Our shop sells the same thing.")
    community.comment(make.user(), article, "Which shop do you mean?", parent=answered)
    with app.app_context():
        for comment in (alone, answered):
            moderation.hide_comment(get_user(admin.id), moderation.get_comment(comment.id))
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "cheap watches" not in page and "Our shop sells" not in page
    assert page.count("hidden by a moderator") == 1 and "Which shop do you mean?" in page
    auth.login(writer)
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "cheap watches" in page and "Hidden by a moderator" in page
    assert client.get(f"/comments/{alone.id}/edit").status_code == 403


def test_comment_json_refuses_unknown_fields_and_non_json(client, make):
    article = make.article()
    token = make.token(make.user())
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": GOOD_COMMENT, "x": 1},
                           headers=bearer(token))
    assert response.status_code == 422 and "x" in response.json["error"]["fields"]
    response = client.post(f"/api/v1/articles/{article.slug}/comments", data="body=hi", headers=bearer(token))
    assert response.status_code == 415
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": 5}, headers=bearer(token))
    assert response.status_code == 422 and "body" in response.json["error"]["fields"]


def test_comment_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/articles/{slug}/comments"])
    assert {"get", "patch", "delete"} <= set(paths["/comments/{comment_id}"])


def test_comment_form_needs_its_csrf_token(new_app):
    import re

    from tests.conftest import PASSWORD, Factory

    app = new_app(WTF_CSRF_ENABLED=True)
    make, client = Factory(app), app.test_client()
    article, user = make.article(), make.user()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data.decode()).group(1)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "We tried this in Leeds."})
    assert response.status_code == 400
    page = client.get(f"/articles/{article.slug}").data.decode()
    token = re.search(r'class="comment-form">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "We tried this in Leeds.",
                                                                        "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/comments/99999999999999999999999/edit", "/comments/0/flag",
                                  "/api/v1/comments/99999999999999999999999"])
def test_impossible_comment_ids_are_404(client, make, auth, path):
    auth.login(make.user())
    assert client.get(path).status_code == 404


def test_someone_elses_comment_cannot_be_edited_from_the_page(client, make, community, auth):
    article = make.article()
    comment = community.comment(make.user(), article, "We tried this in Leeds.")
    auth.login(make.user())
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "We tried it in York."}).status_code == 403
    assert client.get(f"/api/v1/comments/{comment.id}").json["body"] == "We tried this in Leeds."


def test_archived_article_refuses_comments_in_the_page(client, make, auth, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive, get_article

    author = make.user()
    article = make.article(author)
    with app.app_context():
        archive(get_user(author.id), get_article(None, article.slug))
    auth.login(make.user())
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "comments are closed" in page and 'class="comment-form"' not in page
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "We tried this in Leeds."})
    assert response.status_code == 403


def test_commenting_takes_the_same_number_of_statements_whatever_the_counts(client, make, community, app, auth):
    import sqlalchemy as sa

    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.community.services import add_comment
    from exchange.db import db

    def statements_for_a_reply(article, followers, earlier):
        for _ in range(followers):
            auth.login(make.user())
            client.post(f"/follow/article/{article.slug}")
        top = community.comment(make.user(), article, "How did you measure the drop?")
        for n in range(earlier):
            community.comment(make.user(), article, f"We saw the same in town number {n}.")
        user = make.user()
        with app.app_context():
            actor, current = get_user(user.id), get_article(None, article.slug)
            seen = []
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            add_comment(actor, current, "We used the call logs.", top.id)
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for_a_reply(make.article(), 1, 1) == statements_for_a_reply(make.article(), 4, 6)


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_comment_is_asked_for_in_words(client, make, auth, body):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/comments", data={"body": body})
    assert response.status_code == 422
    assert "Enter a comment." in response.get_data(as_text=True)
