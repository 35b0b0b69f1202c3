"""Flags reach the moderation queue; admins approve, hide, dismiss and archive, and each action is audited."""
import pytest


def test_members_get_403_on_the_moderation_queue(client, make, auth):
    auth.login(make.user())
    assert client.get("/admin/moderation").status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/moderation")
    assert response.status_code in (302, 401)


@pytest.mark.parametrize("path", ["/admin/moderation/comments/1/approve", "/admin/moderation/comments/1/hide",
                                  "/admin/moderation/comments/1/restore", "/admin/moderation/flags/1/dismiss",
                                  "/admin/moderation/flags/1/archive"])
def test_members_cannot_moderate(client, make, community, auth, path):
    article = make.article()
    comment = community.comment(make.user(), article, "Results: https://data.example/x")
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "spam"})
    assert client.post(path.replace("/1/", f"/{comment.id}/") if "comments" in path else path).status_code == 403


def test_admin_sees_the_queue_with_its_admin_navigation(client, make, auth):
    auth.login(make.admin())
    response = client.get("/admin/moderation")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Comments waiting for approval (0)" in page and "Open flags (0)" in page
    assert '<nav class="admin-nav" aria-label="Admin">' in page
    assert '<a href="/admin/moderation" aria-current="page">' in page


def test_flagged_article_reaches_the_queue_and_can_be_dismissed(client, make, community, auth):
    article = make.article(title="Chatbots for council tax")
    reporter, admin = make.user(name="Rhys Reporter"), make.admin()
    auth.login(reporter)
    form = client.get(f"/articles/{article.slug}/flag").data.decode()
    for reason in ("spam", "offensive", "inaccurate", "other"):
        assert f'value="{reason}"' in form
    response = client.post(f"/articles/{article.slug}/flag", data={"reason": "inaccurate",
                                                                    "details": "The figures are from 2019."})
    assert response.status_code == 302
    auth.logout()
    auth.login(admin)
    page = client.get("/admin/moderation").data.decode()
    assert "Open flags (1)" in page and "Chatbots for council tax" in page
    assert "Inaccurate or misleading" in page and "The figures are from 2019." in page and "Rhys Reporter" in page
    flag_id = _flag_ids(community)[0]
    assert client.post(f"/admin/moderation/flags/{flag_id}/dismiss").status_code == 302
    assert "Open flags (0)" in client.get("/admin/moderation").data.decode()
    assert ("flag.dismiss", "flag", str(flag_id), admin.id) in community.audit_actions()


def test_flagged_comment_can_be_hidden(client, make, community, auth):
    article = make.article()
    comment = community.comment(make.user(), article, "Buy cheap watches at our shop today.")
    auth.login(make.user())
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert f'href="/comments/{comment.id}/flag"' in page
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}).status_code == 302
    auth.logout()
    admin = make.admin()
    auth.login(admin)
    page = client.get("/admin/moderation").data.decode()
    assert "Spam or advertising" in page and "cheap watches" in page
    assert f'action="/admin/moderation/comments/{comment.id}/hide"' in page
    assert client.post(f"/admin/moderation/comments/{comment.id}/hide").status_code == 302
    assert "Open flags (0)" in client.get("/admin/moderation").data.decode()
    auth.logout()
    assert "cheap watches" not in client.get(f"/articles/{article.slug}").data.decode()
    assert ("comment.hide", "comment", str(comment.id), admin.id) in community.audit_actions()


def test_flagged_article_can_be_archived(client, make, community, auth):
    article = make.article()
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "offensive"})
    auth.logout()
    admin = make.admin()
    auth.login(admin)
    flag_id = _flag_ids(community)[0]
    assert client.post(f"/admin/moderation/flags/{flag_id}/archive").status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}").json["status"] == "archived"
    assert "Open flags (0)" in client.get("/admin/moderation").data.decode()
    assert ("article.archive", "article", article.slug, admin.id) in community.audit_actions()


def test_pending_comment_is_approved_from_the_queue(client, make, community, auth):
    article = make.article()
    comment = community.comment(make.user(name="Nia Newcomer"), article, "Our data: https://data.example/leeds")
    admin = make.admin()
    auth.login(admin)
    page = client.get("/admin/moderation").data.decode()
    assert "Comments waiting for approval (1)" in page and "Nia Newcomer" in page and "data.example/leeds" in page
    assert client.post(f"/admin/moderation/comments/{comment.id}/approve").status_code == 302
    assert "Comments waiting for approval (0)" in client.get("/admin/moderation").data.decode()
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 1
    assert ("comment.approve", "comment", str(comment.id), admin.id) in community.audit_actions()


def test_pending_comment_can_be_hidden_from_the_queue(client, make, community, auth):
    article = make.article()
    comment = community.comment(make.user(), article, "Cheap watches: https://shop.example/")
    auth.login(make.admin())
    assert client.post(f"/admin/moderation/comments/{comment.id}/hide").status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 0
    assert [a for a, *_ in community.audit_actions()][-1] == "comment.hide"


def test_hidden_comment_can_be_restored(client, make, community, auth):
    article = make.article()
    comment = community.comment(make.user(), article, "We tried this in Leeds.")
    auth.login(make.admin())
    client.post(f"/admin/moderation/comments/{comment.id}/hide")
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert f'action="/admin/moderation/comments/{comment.id}/restore"' in page
    assert client.post(f"/admin/moderation/comments/{comment.id}/restore").status_code == 302
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 1
    assert [a for a, *_ in community.audit_actions()][-2:] == ["comment.hide", "comment.restore"]


def test_acting_twice_on_a_flag_is_a_conflict(client, make, community, auth):
    article = make.article()
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "spam"})
    auth.logout()
    auth.login(make.admin())
    flag_id = _flag_ids(community)[0]
    assert client.post(f"/admin/moderation/flags/{flag_id}/dismiss").status_code == 302
    assert client.post(f"/admin/moderation/flags/{flag_id}/dismiss").status_code == 409
    assert client.post("/admin/moderation/flags/9999/dismiss").status_code == 404


def test_flag_needs_a_reason_and_details_for_other(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/flag", data={"reason": "boring"})
    assert response.status_code == 422 and 'href="#reason"' in response.data.decode()
    response = client.post(f"/articles/{article.slug}/flag", data={"reason": "other", "details": ""})
    assert response.status_code == 422 and "Tell the moderators what is wrong" in response.data.decode()
    assert client.post(f"/articles/{article.slug}/flag", data={"reason": "other", "details": "Wrong agency."}
                       ).status_code == 302


def test_flagging_twice_updates_the_first_flag(client, make, community, auth):
    article = make.article()
    auth.login(make.user())
    client.post(f"/articles/{article.slug}/flag", data={"reason": "spam"})
    client.post(f"/articles/{article.slug}/flag", data={"reason": "offensive"})
    assert len(_flag_ids(community)) == 1


def test_drafts_cannot_be_flagged(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft")
    auth.login(make.user(agency=author.agency))
    assert client.post(f"/articles/{draft.slug}/flag", data={"reason": "spam"}).status_code == 404


def test_visitors_cannot_flag(client, make):
    article = make.article()
    response = client.post(f"/articles/{article.slug}/flag", data={"reason": "spam"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _flag_ids(community):
    import sqlalchemy as sa

    from exchange.community.models import Flag
    from exchange.db import db

    with community.app.app_context():
        return list(db.session.scalars(sa.select(Flag.id).where(Flag.status == "open").order_by(Flag.id)))


def test_a_pending_comment_cannot_be_reported_even_by_its_author(client, make, community, auth):
    article = make.article()
    author = make.user(name="Nia Newcomer")
    comment = community.comment(author, article, "Our data: https://data.example/leeds")
    auth.login(author)
    assert client.get(f"/comments/{comment.id}/flag").status_code == 404
