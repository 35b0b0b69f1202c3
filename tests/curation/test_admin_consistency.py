"""The admin area reads as one place (#20 item 9): one heading, tabs and title; the audit log in words;
people filtered by agency and role; deactivation asks to confirm."""
import re

import pytest

from tests.conftest import PASSWORD

ADMIN_PAGES = ["/admin/", "/admin/people", "/admin/agencies", "/admin/agencies/new", "/admin/featured",
               "/admin/topics", "/admin/moderation", "/admin/search", "/admin/audit", "/admin/pages",
               "/admin/feedback"]


def _title_and_h1(page: str):
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return title, [h.strip() for h in h1s]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_every_admin_page_has_the_admin_kicker_tabs_one_h1_and_a_title_that_agrees(client, make, auth, path):
    auth.login(make.admin())
    page = client.get(path).data.decode()
    title, h1s = _title_and_h1(page)
    assert len(h1s) == 1, h1s
    assert title == f"{h1s[0]} · Admin · The Exchange"
    assert 'class="meta admin-kicker"' in page and 'aria-label="Admin"' in page
    assert page.count('aria-current="page"') == 1  # exactly one tab is the current one


def _hide_a_flagged_comment(make, community, client, auth, admin):
    article = make.article(title="Chatbots for council tax")
    comment = community.comment(make.user(), article, "Buy cheap watches at our shop today.")
    auth.login(make.user())
    client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    auth.logout()
    auth.login(admin)
    client.post(f"/admin/moderation/comments/{comment.id}/hide")
    return article, comment


@pytest.fixture
def community(app, client):
    from tests.community.conftest import Community

    return Community(app, client)


def test_the_audit_log_and_overview_say_what_happened_in_words(client, make, community, auth):
    admin = make.admin(name="Priya Shah")
    _hide_a_flagged_comment(make, community, client, auth, admin)
    person = make.user(name="Grace Hopper")
    client.post(f"/admin/people/{person.id}/role", data={"role": "admin"})
    for path in ("/admin/audit", "/admin/"):
        page = client.get(path).data.decode()
        assert "Priya Shah hid a comment on “Chatbots for council tax”" in page, path
        assert "Priya Shah made Grace Hopper an admin" in page, path
        shown = re.sub(r'value="[^"]*"', "", page)  # the filter's values may be codes; what is shown may not
        assert "comment.hide" not in shown and "user.set_role" not in shown and "comment: " not in shown


def test_the_audit_filter_names_actions_in_words(client, make, community, auth):
    admin = make.admin()
    _hide_a_flagged_comment(make, community, client, auth, admin)
    page = client.get("/admin/audit").data.decode()
    assert '<option value="comment.hide">Hid a comment</option>' in page
    assert "Hid a comment" in client.get("/admin/audit?action=comment.hide").data.decode()


def test_people_can_be_filtered_by_agency_and_role_and_show_join_date_and_last_sign_in(client, make, auth):
    harbour = make.agency(slug="harbour", name="Harbour Council")
    admin = make.admin(name="Ada Admin")
    make.user(name="Grace Harbour", agency=harbour)
    make.user(name="Alan Elsewhere")
    make.admin(name="Hedy Harbour", agency=harbour)
    auth.login(admin)
    page = client.get("/admin/people?agency=harbour").data.decode()
    assert "Grace Harbour" in page and "Hedy Harbour" in page and "Alan Elsewhere" not in page
    page = client.get("/admin/people?agency=harbour&role=admin").data.decode()
    assert "Hedy Harbour" in page and "Grace Harbour" not in page
    page = client.get("/admin/people?role=member").data.decode()
    assert "Alan Elsewhere" in page and f'/people/{admin.id}">Ada Admin' not in page
    page = client.get("/admin/people").data.decode()
    assert '<th scope="col">Joined</th>' in page and '<th scope="col">Last sign-in</th>' in page
    assert '<option value="harbour">Harbour Council</option>' in page
    assert client.get("/admin/people?agency=nowhere&role=king").status_code == 200  # unknown values: no filter


def test_deactivation_asks_to_confirm_without_javascript(app, client, make, auth):
    admin = make.admin()
    person = make.user(name="Grace Hopper")
    auth.login(admin)
    people = client.get("/admin/people").data.decode()
    assert f'href="/admin/people/{person.id}/deactivate"' in people
    confirm = client.get(f"/admin/people/{person.id}/deactivate")
    assert confirm.status_code == 200
    text = confirm.data.decode()
    assert "Deactivate Grace Hopper?" in text and 'name="confirm"' in text
    # A post without the confirmation changes nothing and leads to the question.
    response = client.post(f"/admin/people/{person.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/people/{person.id}/deactivate")
    auth.logout()
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 302
    auth.logout()
    auth.login(admin)
    response = client.post(f"/admin/people/{person.id}/active", data={"active": "0", "confirm": "yes"})
    assert response.status_code == 302
    assert "Grace Hopper is deactivated" in client.get("/admin/people").data.decode()


def test_every_action_the_code_records_is_said_in_words():
    """An action added without a sentence would show in the audit log as its code (``article.ask_team``)."""
    import re
    from pathlib import Path

    from exchange.curation.audit_words import ACTIONS

    package = Path(__file__).resolve().parents[2] / "exchange"
    recorded = {action for path in package.rglob("*.py")
                for action in re.findall(r'audit\.record\(\w+, "([a-z_]+\.[a-z_]+)"', path.read_text())}
    assert len(recorded) > 20, "the pattern finds the recorded actions"
    assert recorded - set(ACTIONS) == set()
