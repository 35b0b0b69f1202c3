"""Every route against every role, from one explicit table (DESIGN.md section 10).

Roles: a visitor, a member of another agency, a colleague at the owning agency, the author, an admin.
Each row is one request (method, route, which article or comment it names, what it sends) and the
status each role gets. ``LOGIN`` is a redirect to the sign-in page; 302 is any other redirect.
The world (tests/e2e/world.py) is built once for the module and put back after every request that
changed it, so each request meets the same world.

The table must cover every route in ``app.url_map``: a new route fails
``test_every_route_is_in_the_table`` until it gets its rows here.
"""
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from exchange.articles import pdf
from tests.conftest import PASSWORD, POSTGRES_URL, _config, _empty_postgres
from tests.e2e import world as world_module
from tests.files import samples

V, OTHER, C, A, ADM = "visitor", "other", "colleague", "author", "admin"
ROLES = (V, OTHER, C, A, ADM)
LOGIN = "login"  # a redirect to /login

# Shorthands for the commonest lines of the table, in ROLES order.
EVERYONE = (200, 200, 200, 200, 200)
MEMBERS = (LOGIN, 200, 200, 200, 200)
MEMBERS_ACT = (LOGIN, 302, 302, 302, 302)
AGENCY_ONLY = (LOGIN, 403, 200, 200, 200)  # the owning agency's staff and admins
AGENCY_ACT = (LOGIN, 403, 302, 302, 302)
DRAFT_PAGE = (404, 404, 200, 200, 200)  # a draft exists only for its agency and admins
DRAFT_MEMBERS = (LOGIN, 404, 200, 200, 200)
DRAFT_ACT = (LOGIN, 404, 302, 302, 302)
DRAFT_GONE = (LOGIN, 404, 404, 404, 404)  # nothing to comment on or report in a draft
ADMIN_PAGE = (LOGIN, 403, 403, 403, 200)
ADMIN_ACT = (LOGIN, 403, 403, 403, 302)
API_EVERYONE = (200, 200, 200, 200, 200)
API_MEMBERS = (401, 200, 200, 200, 200)
API_DRAFT = (404, 404, 200, 200, 200)
API_NOT_FOUND = (404, 404, 404, 404, 404)
# A PDF where WeasyPrint can load; else the page that points to the print view (501), drafts hidden alike.
PDF_MADE = 200 if pdf.available() else 501
PDF_EVERYONE = (PDF_MADE,) * 5
PDF_DRAFT = (404, 404, PDF_MADE, PDF_MADE, PDF_MADE)


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    expected: tuple
    args: dict = field(default_factory=dict)  # path argument -> World attribute ("author.id") or "=literal"
    variant: str = ""
    query: str = ""
    data: dict | None = None  # a form
    json: dict | None = None  # an API body
    files: dict | None = None  # files sent with the form (multipart): field -> (bytes, file name)
    bug: str = ""  # a known bug in the code under test: the row is expected to fail until it is fixed

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}{' ' + self.variant if self.variant else ''}"


def r(method, rule, expected, variant="", **extra) -> Row:
    return Row(method, rule, tuple(expected), variant=variant, **extra)


CASE, DRAFT, PLAY = {"slug": "case_study"}, {"slug": "draft"}, {"slug": "playbook"}
NEW_ARTICLE = {"title": "A new practice for the table", "kind": "case_study", "summary": "Made by the table.",
               "body": "## Context\n\nText.", "edit_policy": "agency", "publish": "1"}
EDIT = {"title": "Answering residents within an hour", "kind": "case_study", "summary": "Edited by the table.",
        "body": "## Context\n\nEdited.", "edit_policy": "agency", "base_revision": "2", "save": "1"}
DRAFT_EDIT = {**EDIT, "base_revision": "1"}
COMMENT = {"body": "We ran the same pilot in Leeds for a year and halved the waiting time."}
PNG = {"file": (samples.image(), "chart.png")}
DOCX = {"file": (samples.docx(["# Context", "Imported by the table."]), "table.docx")}
AGENCY_FORM = {"slug": "table-agency", "name": "Table Agency", "acronym": "TA", "level": "local", "country": "GB",
               "domains": "table-agency.example"}

CHALLENGE, DRAFT_CHALLENGE = {"slug": "challenge"}, {"slug": "draft_challenge"}
HELPED = {"slug": "challenge", "answer_id": "answer"}
NEW_CHALLENGE = {"title": "A challenge from the table", "problem": "Who is affected: everyone.", "tags": "open data",
                 "publish": "1"}
CHALLENGE_ROWS = [
    r("GET", "/challenges", EVERYONE),
    r("GET", "/feeds/challenges.atom", EVERYONE),
    r("GET", "/feeds/challenges/tags/<slug>.atom", EVERYONE, args={"slug": "tag"}),
    r("GET", "/feeds/challenges/tags/<slug>.atom", (404,) * 5, "missing", args={"slug": "=no-such-topic"}),
    r("GET", "/challenges/new", MEMBERS),
    r("POST", "/challenges/new", MEMBERS_ACT, data=NEW_CHALLENGE),
    r("GET", "/challenges/<slug>", EVERYONE, "open", args=CHALLENGE),
    r("GET", "/challenges/<slug>", DRAFT_PAGE, "draft", args=DRAFT_CHALLENGE),
    r("GET", "/challenges/<slug>/edit", AGENCY_ONLY, "open", args=CHALLENGE),
    r("GET", "/challenges/<slug>/edit", DRAFT_MEMBERS, "draft", args=DRAFT_CHALLENGE),
    r("POST", "/challenges/<slug>/edit", AGENCY_ACT, "open", args=CHALLENGE,
      data={"title": "Edited by the table", "problem": "Still the same problem."}),
    r("POST", "/challenges/<slug>/edit", DRAFT_ACT, "draft", args=DRAFT_CHALLENGE,
      data={"title": "Edited by the table", "problem": "Still the same problem."}),
    # The asking agency does not answer its own challenge.
    r("POST", "/challenges/<slug>/answers", (LOGIN, 302, 403, 403, 302), "open", args=CHALLENGE,
      data={"practice": "{case_study}", "note": "It applies."}),
    r("POST", "/challenges/<slug>/answers", (LOGIN, 404, 404, 404, 404), "draft", args=DRAFT_CHALLENGE,
      data={"practice": "{case_study}", "note": "It applies."}),
    r("POST", "/challenges/<slug>/answers/<int:answer_id>/helped", AGENCY_ACT, args=HELPED,
      data={"why": "Play 1 got us a weekend rota."}),
    r("POST", "/challenges/<slug>/answers/<int:answer_id>/helped/delete", AGENCY_ACT, args=HELPED),
    r("POST", "/challenges/<slug>/comments", MEMBERS_ACT, "open", args=CHALLENGE,
      data={"body": "We ran weekend shifts in Leeds for a year: happy to share the rota."}),
    r("POST", "/challenges/<slug>/comments", DRAFT_ACT, "draft", args=DRAFT_CHALLENGE,
      data={"body": "A colleague's note on the draft: the rota needs a second name."}),
    r("POST", "/challenges/<slug>/same-problem", (LOGIN, 302, 403, 403, 302), "open", args=CHALLENGE),
    r("POST", "/challenges/<slug>/same-problem", DRAFT_GONE, "draft", args=DRAFT_CHALLENGE),
    r("POST", "/challenges/<slug>/same-problem/delete", MEMBERS_ACT, "open", args=CHALLENGE),
    r("POST", "/challenges/<slug>/close", AGENCY_ACT, "open", args=CHALLENGE, data={"outcome": "We built a rota."}),
    r("POST", "/challenges/<slug>/close", (LOGIN, 404, 409, 409, 409), "draft", args=DRAFT_CHALLENGE,
      data={"outcome": "We built a rota."}),
    r("GET", "/api/v1/challenges", API_EVERYONE),
    r("POST", "/api/v1/challenges", (401, 201, 201, 201, 201),
      json={"title": "Asked through the API", "problem": "Who is affected: everyone.", "status": "open"}),
    r("GET", "/api/v1/challenges/<slug>", API_EVERYONE, "open", args=CHALLENGE),
    r("GET", "/api/v1/challenges/<slug>", API_DRAFT, "draft", args=DRAFT_CHALLENGE),
    r("PATCH", "/api/v1/challenges/<slug>", (401, 403, 200, 200, 200), "open", args=CHALLENGE,
      json={"title": "Patched by the table"}),
    r("PATCH", "/api/v1/challenges/<slug>", (401, 404, 200, 200, 200), "draft", args=DRAFT_CHALLENGE,
      json={"title": "Patched by the table"}),
    r("POST", "/api/v1/challenges/<slug>/answers", (401, 201, 403, 403, 201), "open", args=CHALLENGE,
      json={"practice": "{case_study}", "note": "It applies."}),
    r("POST", "/api/v1/challenges/<slug>/answers", (401, 404, 404, 404, 404), "draft", args=DRAFT_CHALLENGE,
      json={"practice": "{case_study}"}),
    r("PUT", "/api/v1/challenges/<slug>/answers/<int:answer_id>/helped", (401, 403, 200, 200, 200), args=HELPED,
      json={"why": "Play 1 got us a weekend rota."}),
    r("DELETE", "/api/v1/challenges/<slug>/answers/<int:answer_id>/helped", (401, 403, 204, 204, 204), args=HELPED),
    r("GET", "/api/v1/challenges/<slug>/comments", API_EVERYONE, "open", args=CHALLENGE),
    r("GET", "/api/v1/challenges/<slug>/comments", API_DRAFT, "draft", args=DRAFT_CHALLENGE),
    r("POST", "/api/v1/challenges/<slug>/comments", (401, 201, 201, 201, 201), "open", args=CHALLENGE,
      json={"body": "We ran weekend shifts in Leeds for a year: happy to share the rota."}),
    r("POST", "/api/v1/challenges/<slug>/comments", (401, 404, 201, 201, 201), "draft", args=DRAFT_CHALLENGE,
      json={"body": "A colleague's note on the draft: the rota needs a second name."}),
    r("PUT", "/api/v1/challenges/<slug>/same-problem", (401, 200, 403, 403, 200), "open", args=CHALLENGE),
    r("PUT", "/api/v1/challenges/<slug>/same-problem", (401, 404, 404, 404, 404), "draft", args=DRAFT_CHALLENGE),
    r("DELETE", "/api/v1/challenges/<slug>/same-problem", (401, 204, 204, 204, 204), "open", args=CHALLENGE),
]

TABLE = [
    # The front door, browsing and search --------------------------------------------------------
    r("GET", "/", EVERYONE),
    r("GET", "/healthz", EVERYONE),
    r("GET", "/case-studies", EVERYONE),
    r("GET", "/playbooks", EVERYONE),
    r("GET", "/tags", EVERYONE),
    r("GET", "/tags/<slug>", EVERYONE, args={"slug": "tag"}),
    r("GET", "/tags/<slug>", (404,) * 5, "missing", args={"slug": "=no-such-topic"}),
    r("GET", "/agencies", EVERYONE),
    r("GET", "/agencies/<slug>", EVERYONE, args={"slug": "agency"}),
    r("GET", "/people/<int:user_id>", EVERYONE, args={"user_id": "author.id"}),
    r("GET", "/search", EVERYONE, query="q=social+media"),
    r("GET", "/search/help", EVERYONE),
    r("GET", "/about/ranking", EVERYONE),
    r("GET", "/feeds/new.atom", EVERYONE),
    # Site pages and "Is this page useful?" -------------------------------------------------------
    r("GET", "/about", EVERYONE),
    r("GET", "/about/<any('how-it-works', 'comment-rules', accessibility, privacy, contact):slug>", EVERYONE,
      args={"slug": "=privacy"}),
    r("POST", "/feedback", (302,) * 5, "published", data={"path": "/articles/{case_study}", "useful": "yes"}),
    r("POST", "/feedback", (404, 404, 302, 302, 302), "draft", data={"path": "/articles/{draft}", "useful": "no"}),
    r("GET", "/agencies/<slug>/feedback", AGENCY_ONLY, args={"slug": "agency"}),
    r("GET", "/tags/<slug>/updates", EVERYONE, args={"slug": "tag"}),
    r("GET", "/tags/<slug>/updates", (404,) * 5, "missing", args={"slug": "=no-such-topic"}),
    r("GET", "/agencies/<slug>/updates", EVERYONE, args={"slug": "agency"}),
    r("GET", "/feeds/tags/<slug>.atom", EVERYONE, args={"slug": "tag"}),
    r("GET", "/feeds/agencies/<slug>.atom", EVERYONE, args={"slug": "agency"}),
    # Impact (#17): my dashboard, an agency's impact, the site's, and its export
    r("GET", "/me", MEMBERS),
    r("GET", "/agencies/<slug>/impact", EVERYONE, args={"slug": "agency"}),
    r("GET", "/agencies/<slug>/impact", (404,) * 5, "missing", args={"slug": "=no-such-agency"}),
    r("GET", "/impact", EVERYONE),
    r("GET", "/impact/adoptions.csv", (LOGIN, 403, 403, 403, 200)),
    # Reading and writing articles ---------------------------------------------------------------
    r("GET", "/articles/<slug>", EVERYONE, "published", args=CASE),
    r("GET", "/articles/<slug>", DRAFT_PAGE, "draft", args=DRAFT),
    r("GET", "/articles/<slug>", (404,) * 5, "missing", args={"slug": "=no-such-article"}),
    r("GET", "/articles/<slug>", EVERYONE, "archived", args={"slug": "archived"}),
    r("GET", "/articles/<slug>/history", EVERYONE, "published", args=CASE),
    r("GET", "/articles/<slug>/print", EVERYONE, "published", args=CASE),
    r("GET", "/articles/<slug>/print", DRAFT_PAGE, "draft", args=DRAFT),
    r("GET", "/articles/<slug>.pdf", PDF_EVERYONE, "published", args=CASE),
    r("GET", "/articles/<slug>.pdf", PDF_DRAFT, "draft", args=DRAFT),
    r("GET", "/articles/<slug>/history", DRAFT_PAGE, "draft", args=DRAFT),
    r("GET", "/articles/<slug>/diff", EVERYONE, "published", args=CASE, query="from=1&to=2"),
    r("GET", "/articles/<slug>/diff", DRAFT_PAGE, "draft", args=DRAFT),
    r("GET", "/articles/new", MEMBERS),
    r("POST", "/articles/new", (LOGIN, 302, 302, 302, 302), data=NEW_ARTICLE),
    r("GET", "/articles/<slug>/edit", AGENCY_ONLY, "agency policy", args=CASE),
    r("GET", "/articles/<slug>/edit", MEMBERS, "open policy", args=PLAY),
    r("GET", "/articles/<slug>/edit", DRAFT_MEMBERS, "draft", args=DRAFT),
    r("POST", "/articles/<slug>/edit", AGENCY_ACT, "agency policy", args=CASE, data=EDIT),
    r("POST", "/articles/<slug>/edit", DRAFT_ACT, "draft", args=DRAFT, data=DRAFT_EDIT),
    r("GET", "/articles/<slug>/publish", DRAFT_MEMBERS, "draft: check your answers", args=DRAFT),
    r("GET", "/articles/<slug>/publish", AGENCY_ACT, "published: back to the article", args=CASE),
    r("POST", "/articles/<slug>/publish", DRAFT_ACT, "draft", args=DRAFT),
    r("GET", "/articles/<slug>/archive", AGENCY_ONLY, "published", args=CASE),
    r("GET", "/articles/<slug>/archive", DRAFT_MEMBERS, "draft", args=DRAFT),
    r("POST", "/articles/<slug>/archive", AGENCY_ACT, "published", args=CASE, data={"reason": "Out of date."}),
    r("POST", "/articles/<slug>/archive", (LOGIN, 403, 422, 422, 422), "no reason", args=CASE),
    r("POST", "/articles/<slug>/archive", DRAFT_ACT, "draft", args=DRAFT, data={"reason": "Out of date."}),
    r("POST", "/articles/<slug>/working-copy/discard", AGENCY_ACT, "published", args=CASE),
    r("POST", "/articles/<slug>/working-copy/discard", DRAFT_ACT, "draft", args=DRAFT),
    r("POST", "/articles/<slug>/unarchive", AGENCY_ACT, "archived", args={"slug": "archived"}),
    r("POST", "/articles/<slug>/unarchive", (LOGIN, 404, 409, 409, 409), "draft: not withdrawn", args=DRAFT),
    r("GET", "/articles/<slug>/delete", DRAFT_MEMBERS, "draft", args=DRAFT),
    r("GET", "/articles/<slug>/delete", (LOGIN, 403, 409, 409, 409), "published: never", args=CASE),
    r("POST", "/articles/<slug>/delete", DRAFT_ACT, "draft", args=DRAFT),
    r("POST", "/articles/<slug>/delete", (LOGIN, 403, 409, 409, 409), "published: never", args=CASE),
    r("GET", "/articles/<slug>/restore", AGENCY_ONLY, "published: what will change", args=CASE, query="revision=1"),
    r("GET", "/articles/<slug>/restore", DRAFT_MEMBERS, "draft", args=DRAFT, query="revision=1"),
    r("POST", "/articles/<slug>/restore", AGENCY_ONLY, "published: not confirmed", args=CASE,
      data={"revision": "1", "base_revision": "2"}),
    r("POST", "/articles/<slug>/restore", AGENCY_ACT, "published", args=CASE,
      data={"revision": "1", "base_revision": "2", "confirm": "1"}),
    r("POST", "/articles/<slug>/restore", DRAFT_ACT, "draft", args=DRAFT,
      data={"revision": "1", "base_revision": "1", "confirm": "1"}),
    # Endorsements: anyone but the author; the owning agency's staff count for less but may.
    r("POST", "/articles/<slug>/endorsement", (LOGIN, 302, 302, 403, 302), "published", args=CASE,
      data={"kind": "endorse", "note": "Worked for us."}),
    r("POST", "/articles/<slug>/endorsement", DRAFT_GONE, "draft", args=DRAFT, data={"kind": "endorse"}),
    r("POST", "/articles/<slug>/endorsement", (LOGIN, 409, 409, 409, 409), "archived", args={"slug": "archived"},
      data={"kind": "endorse"}),
    r("POST", "/articles/<slug>/endorsement/delete", MEMBERS_ACT, "published", args=CASE),
    r("POST", "/articles/<slug>/endorsement/delete", DRAFT_ACT, "draft", args=DRAFT),
    # Comments, flags, follows, notifications ----------------------------------------------------
    r("POST", "/articles/<slug>/comments", MEMBERS_ACT, "published", args=CASE, data=COMMENT),
    r("POST", "/articles/<slug>/comments", DRAFT_GONE, "draft", args=DRAFT, data=COMMENT),
    r("POST", "/articles/<slug>/comments", (LOGIN, 403, 403, 403, 403), "archived: closed", args={"slug": "archived"},
      data=COMMENT),
    r("GET", "/comments/<int:comment_id>/edit", (LOGIN, 200, 403, 403, 403), args={"comment_id": "comment"}),
    r("POST", "/comments/<int:comment_id>/edit", (LOGIN, 302, 403, 403, 403), args={"comment_id": "comment"},
      data={"body": "We ran the same pilot in Leeds for two years and halved the waiting time."}),
    r("POST", "/comments/<int:comment_id>/delete", (LOGIN, 302, 403, 403, 403), args={"comment_id": "comment"}),
    r("GET", "/articles/<slug>/ask", MEMBERS, "published", args=CASE),
    r("GET", "/articles/<slug>/ask", DRAFT_GONE, "draft", args=DRAFT),
    # The author asking their own practice has no one to send it to (no agency contact in this world).
    r("POST", "/articles/<slug>/ask", (LOGIN, 302, 302, 422, 302), "published", args=CASE,
      data={"body": "How did you staff it?"}),
    r("POST", "/articles/<slug>/ask", DRAFT_GONE, "draft", args=DRAFT, data={"body": "How did you staff it?"}),
    r("GET", "/articles/<slug>/updates", EVERYONE, "published", args=CASE),
    r("GET", "/articles/<slug>/updates", (404,) * 5, "draft", args=DRAFT),
    r("GET", "/feeds/articles/<slug>.atom", EVERYONE, "published", args=CASE),
    r("GET", "/feeds/articles/<slug>.atom", (404,) * 5, "draft", args=DRAFT),
    r("GET", "/articles/<slug>/flag", MEMBERS, "published", args=CASE),
    r("GET", "/articles/<slug>/flag", DRAFT_GONE, "draft", args=DRAFT),
    r("POST", "/articles/<slug>/flag", MEMBERS_ACT, "published", args=CASE, data={"reason": "spam"}),
    r("POST", "/articles/<slug>/flag", DRAFT_GONE, "draft", args=DRAFT, data={"reason": "spam"}),
    r("GET", "/comments/<int:comment_id>/flag", MEMBERS, args={"comment_id": "comment"}),
    r("POST", "/comments/<int:comment_id>/flag", MEMBERS_ACT, args={"comment_id": "comment"},
      data={"reason": "offensive"}),
    # A pending comment is not yet published: nobody can report it, not even its author or an admin.
    r("GET", "/comments/<int:comment_id>/flag", (LOGIN, 404, 404, 404, 404), "pending",
      args={"comment_id": "pending_comment"}),
    r("POST", "/follow/<kind>/<key>", MEMBERS_ACT, "tag", args={"kind": "=tag", "key": "tag"}),
    r("POST", "/follow/<kind>/<key>", DRAFT_GONE, "draft", args={"kind": "=article", "key": "draft"}),
    r("POST", "/unfollow/<kind>/<key>", MEMBERS_ACT, "tag", args={"kind": "=tag", "key": "tag"}),
    r("POST", "/unfollow/<kind>/<key>", DRAFT_GONE, "draft", args={"kind": "=article", "key": "draft"}),
    r("GET", "/notifications", MEMBERS),
    r("POST", "/notifications/read", MEMBERS_ACT),
    r("POST", "/notifications/<int:notification_id>/read", MEMBERS_ACT, args={"notification_id": "notification"}),
    # Accounts -----------------------------------------------------------------------------------
    r("GET", "/login", EVERYONE),
    r("POST", "/login", (422,) * 5, "wrong password", data={"email": "olga.other@x.example", "password": "wrong"}),
    r("POST", "/logout", MEMBERS_ACT),
    r("GET", "/register", EVERYONE),
    r("POST", "/register", (LOGIN,) * 5, data={"name": "New Person", "email": "new.person@northfield-t.example",
                                             "password": PASSWORD}),
    # Verified addresses, password reset, invitations and email (#15)
    r("GET", "/verify/<token>", (404,) * 5, "unknown", args={"token": "=no-such-link"}),
    r("POST", "/verify/resend", MEMBERS_ACT, "already verified"),
    r("GET", "/password/forgot", EVERYONE),
    r("POST", "/password/forgot", (LOGIN,) * 5, data={"email": "ana.author@northfield-t.example"}),
    r("GET", "/password/reset/<token>", (404,) * 5, "unknown", args={"token": "=no-such-link"}),
    r("POST", "/password/reset/<token>", (404,) * 5, "unknown", args={"token": "=no-such-link"},
      data={"password": "another long pass phrase", "password_confirm": "another long pass phrase"}),
    r("GET", "/invitations/<token>", (404,) * 5, "unknown", args={"token": "=no-such-link"}),
    r("POST", "/invitations/<token>", (404,) * 5, "unknown", args={"token": "=no-such-link"},
      data={"name": "Kim", "password": PASSWORD, "password_confirm": PASSWORD}),
    r("GET", "/invitations", MEMBERS),
    r("POST", "/invitations", (LOGIN, 422, 422, 422, 302), data={"email": "kim@contractor.example",
                                                                 "agency": "northfield-t"}),
    r("POST", "/invitations/<int:invitation_id>/revoke", (LOGIN, 404, 404, 404, 404), "unknown",
      args={"invitation_id": "=999999"}),
    r("GET", "/profile/notifications", MEMBERS),
    r("POST", "/profile/notifications", MEMBERS_ACT, data={"following": "daily", "endorsements": "none",
                                                            "comments": "instant", "replies": "weekly",
                                                            "moderation": "none"}),
    r("GET", "/unsubscribe/<token>", (404,) * 5, "forged", args={"token": "=forged"}),
    r("POST", "/unsubscribe/<token>", (404,) * 5, "forged", args={"token": "=forged"}),
    r("GET", "/login/code", (LOGIN,) * 5),
    # Sign-in with the agency's own account: the world's agencies have none (tests/accounts/test_sso.py signs in)
    r("GET", "/login/sso/<slug>", (404,) * 5, args={"slug": "=nobody"}),
    r("GET", "/login/sso/<slug>/callback", (404,) * 5, args={"slug": "=nobody"}, query="code=x&state=y"),
    r("POST", "/login/code", (LOGIN,) * 5, data={"code": "123456"}),
    r("GET", "/login/setup", MEMBERS),
    r("POST", "/login/setup", (LOGIN, 422, 422, 422, 422), data={"code": "000000"}),
    r("GET", "/login/confirm", MEMBERS),
    r("POST", "/login/confirm", MEMBERS_ACT, data={"password": PASSWORD}),
    r("GET", "/profile", MEMBERS),
    r("POST", "/profile", MEMBERS_ACT, data={"name": "Renamed", "job_title": "Tester", "bio": "Bio."}),
    r("POST", "/profile/password", MEMBERS_ACT,
      data={"current_password": PASSWORD, "new_password": "another long pass phrase"}),
    r("POST", "/profile/mfa/disable", MEMBERS_ACT, data={"password": PASSWORD}),
    r("POST", "/profile/tokens", MEMBERS, data={"label": "laptop"}),
    r("POST", "/profile/tokens/<int:token_id>/revoke", (LOGIN, 404, 404, 302, 404), "the author's",
      args={"token_id": "token"}),
    # Files: seen as their article is; uploads need a verified member ----------------------------
    r("GET", "/files/<digest>/<name>", EVERYONE, "published", args={"digest": "files.case_study.hash",
                                                                    "name": "files.case_study.name"}),
    r("GET", "/files/<digest>/<name>", DRAFT_PAGE, "draft", args={"digest": "files.draft.hash",
                                                                  "name": "files.draft.name"}),
    r("POST", "/files/upload", (LOGIN, 201, 201, 201, 201), files=PNG, data={"alt": "A chart"}),
    r("POST", "/files/upload", (LOGIN, 404, 201, 201, 201), "to a draft", files=PNG,
      data={"alt": "A chart", "article": "{draft}"}),
    r("GET", "/articles/import", MEMBERS),
    r("POST", "/articles/import", (LOGIN, 302, 302, 302, 302), files=DOCX, data={"kind": "case_study"}),
    # The admin area: 403 for every member -------------------------------------------------------
    r("GET", "/admin/", ADMIN_PAGE),
    r("GET", "/admin/people", ADMIN_PAGE),
    r("POST", "/admin/people/<int:user_id>/verification", ADMIN_ACT, args={"user_id": "colleague.id"}),
    r("POST", "/admin/people/<int:user_id>/reset", ADMIN_ACT, args={"user_id": "colleague.id"}),
    r("POST", "/admin/agencies/<slug>/invitations", ADMIN_ACT, args={"slug": "agency"},
      data={"members_may_invite": "1"}),
    r("POST", "/admin/people/<int:user_id>/role", ADMIN_ACT, args={"user_id": "colleague.id"}, data={"role": "admin"}),
    r("POST", "/admin/people/<int:user_id>/active", ADMIN_ACT, args={"user_id": "colleague.id"},
      data={"active": "0", "confirm": "yes"}),
    r("GET", "/admin/people/<int:user_id>/deactivate", ADMIN_PAGE, args={"user_id": "colleague.id"}),
    r("POST", "/admin/agencies/<slug>/contact", ADMIN_ACT, args={"slug": "agency"},
      data={"contact_email": "team@example.gov"}),
    r("GET", "/admin/questions", ADMIN_PAGE),
    r("GET", "/admin/agencies", ADMIN_PAGE),
    r("GET", "/admin/agencies/new", ADMIN_PAGE),
    r("POST", "/admin/agencies/new", ADMIN_ACT, data=AGENCY_FORM),
    r("GET", "/admin/agencies/<slug>/edit", ADMIN_PAGE, args={"slug": "agency"}),
    r("POST", "/admin/agencies/<slug>/edit", ADMIN_ACT, args={"slug": "agency"},
      data={**AGENCY_FORM, "domains": "northfield-t.example\nnfc.example"}),
    r("GET", "/admin/featured", ADMIN_PAGE),
    r("POST", "/admin/featured", ADMIN_ACT, data={"slug": "{case_study}", "note": "The table features it."}),
    r("POST", "/admin/featured/<slug>/move", ADMIN_ACT, args={"slug": "featured"}, data={"direction": "down"}),
    r("POST", "/admin/featured/<slug>/delete", ADMIN_ACT, args={"slug": "featured"}),
    r("GET", "/admin/audit", ADMIN_PAGE),
    r("GET", "/admin/pages", ADMIN_PAGE),
    r("GET", "/admin/pages/<slug>", ADMIN_PAGE, args={"slug": "=contact"}),
    r("POST", "/admin/pages/<slug>", ADMIN_ACT, args={"slug": "=contact"},
      data={"title": "Contact us", "body": "Write to the team."}),
    r("POST", "/admin/pages/<slug>/reset", ADMIN_ACT, args={"slug": "=contact"}),
    r("GET", "/admin/feedback", ADMIN_PAGE),
    r("GET", "/admin/search", ADMIN_PAGE),
    r("GET", "/admin/moderation", ADMIN_PAGE),
    r("POST", "/admin/moderation/comments/<int:comment_id>/<any(approve, hide, restore):action>", ADMIN_ACT,
      "approve", args={"comment_id": "pending_comment", "action": "=approve"}),
    r("POST", "/admin/moderation/comments/<int:comment_id>/<any(approve, hide, restore):action>", ADMIN_ACT,
      "hide", args={"comment_id": "comment", "action": "=hide"}),
    r("POST", "/admin/moderation/comments/<int:comment_id>/<any(approve, hide, restore):action>",
      (LOGIN, 403, 403, 403, 409), "restore a comment that is not hidden",
      args={"comment_id": "comment", "action": "=restore"}),
    r("POST", "/admin/moderation/flags/<int:flag_id>/<any(dismiss, archive, refer):action>", ADMIN_ACT, "dismiss",
      args={"flag_id": "flag", "action": "=dismiss"}),
    r("POST", "/admin/moderation/flags/<int:flag_id>/<any(dismiss, archive, refer):action>", ADMIN_ACT, "archive",
      args={"flag_id": "flag", "action": "=archive"}),
    r("POST", "/admin/moderation/flags/<int:flag_id>/<any(dismiss, archive, refer):action>",
      (LOGIN, 403, 403, 403, 409), "refer a report that is not about being out of date",
      args={"flag_id": "flag", "action": "=refer"}),
    r("GET", "/admin/topics", ADMIN_PAGE),
    r("GET", "/admin/topics/<slug>", ADMIN_PAGE, args={"slug": "tag"}),
    r("POST", "/admin/topics/<slug>/rename", ADMIN_ACT, args={"slug": "tag"}, data={"name": "Renamed by the table"}),
    r("POST", "/admin/topics/<slug>/describe", ADMIN_ACT, args={"slug": "tag"}, data={"description": "By the table."}),
    r("POST", "/admin/topics/<slug>/merge", ADMIN_ACT, "into nothing: refused", args={"slug": "tag"},
      data={"into": ""}),
    # The API: bearer tokens; 401 without one -----------------------------------------------------
    r("GET", "/api/v1/me", API_MEMBERS),
    r("GET", "/api/v1/openapi.json", API_EVERYONE),
    r("GET", "/api/v1/templates/<kind>", API_EVERYONE, args={"kind": "=case_study"}),
    r("GET", "/api/v1/templates/<kind>", API_NOT_FOUND, "unknown kind", args={"kind": "=essay"}),
    r("GET", "/api/v1/agencies", API_EVERYONE),
    r("GET", "/api/v1/agencies/<slug>/impact", API_EVERYONE, args={"slug": "agency"}),
    r("GET", "/api/v1/agencies/<slug>/impact", API_NOT_FOUND, "missing", args={"slug": "=no-such-agency"}),
    r("GET", "/api/v1/me/dashboard", API_MEMBERS),
    r("GET", "/api/v1/tags", API_EVERYONE),
    r("GET", "/api/v1/search", API_EVERYONE, query="q=social"),
    r("GET", "/api/v1/articles", API_EVERYONE),
    r("POST", "/api/v1/articles", (401, 201, 201, 201, 201),
      json={"title": "Made through the API", "kind": "playbook", "summary": "By the table.", "status": "published",
            "body": "## Play 1: Answer in public\n\nSo everyone sees the answer."}),
    r("GET", "/api/v1/articles/<slug>", API_EVERYONE, "published", args=CASE),
    r("GET", "/api/v1/articles/<slug>", API_DRAFT, "draft", args=DRAFT),
    r("PATCH", "/api/v1/articles/<slug>", (401, 403, 200, 200, 200), "published", args=CASE,
      json={"summary": "Patched by the table.", "base_revision": 2}),
    r("PATCH", "/api/v1/articles/<slug>", (401, 404, 200, 200, 200), "draft", args=DRAFT,
      json={"summary": "Patched by the table.", "base_revision": 1}),
    r("PUT", "/api/v1/articles/<slug>/draft", (401, 403, 200, 200, 200), "published: a private working copy",
      args=CASE, json={"base_revision": 2, "body": "Autosaved by the table."}),
    r("PUT", "/api/v1/articles/<slug>/draft", (401, 404, 409, 409, 409), "draft: autosaves with PATCH",
      args=DRAFT, json={"base_revision": 1, "body": "Autosaved by the table."}),
    r("GET", "/api/v1/articles/<slug>/draft", (401, 404, 404, 404, 404), "published: nobody has one", args=CASE),
    r("GET", "/api/v1/articles/<slug>/draft", (401, 404, 404, 404, 404), "draft", args=DRAFT),
    r("DELETE", "/api/v1/articles/<slug>/draft", (401, 204, 204, 204, 204), "published", args=CASE),
    r("DELETE", "/api/v1/articles/<slug>/draft", (401, 404, 204, 204, 204), "draft", args=DRAFT),
    r("POST", "/api/v1/preview", (401, 200, 200, 200, 200), json={"body": "**Previewed** by the table."}),
    r("GET", "/api/v1/articles/<slug>/revisions", API_EVERYONE, "published", args=CASE),
    r("GET", "/api/v1/articles/<slug>/revisions", API_DRAFT, "draft", args=DRAFT),
    r("GET", "/api/v1/articles/<slug>/related", API_EVERYONE, "published", args=CASE),
    r("GET", "/api/v1/articles/<slug>/related", API_DRAFT, "draft", args=DRAFT),
    r("GET", "/api/v1/articles/<slug>/comments", API_EVERYONE, "published", args=CASE),
    r("GET", "/api/v1/articles/<slug>/comments", API_NOT_FOUND, "draft", args=DRAFT),
    r("GET", "/api/v1/articles/<slug>/adoptions", API_EVERYONE, "published", args=CASE),
    r("GET", "/api/v1/articles/<slug>/adoptions", API_DRAFT, "draft", args=DRAFT),
    r("POST", "/api/v1/articles/<slug>/comments", (401, 201, 201, 201, 201), "published", args=CASE, json=COMMENT),
    r("POST", "/api/v1/articles/<slug>/comments", (401, 404, 404, 404, 404), "draft", args=DRAFT, json=COMMENT),
    r("PUT", "/api/v1/articles/<slug>/endorsement", (401, 200, 200, 403, 200), "published", args=CASE,
      json={"kind": "endorse", "note": "Worked for us."}),
    r("PUT", "/api/v1/articles/<slug>/endorsement", (401, 404, 404, 404, 404), "draft", args=DRAFT,
      json={"kind": "endorse"}),
    r("DELETE", "/api/v1/articles/<slug>/endorsement", (401, 204, 204, 204, 204), "published", args=CASE),
    r("DELETE", "/api/v1/articles/<slug>/endorsement", (401, 404, 204, 204, 204), "draft", args=DRAFT),
    r("GET", "/api/v1/comments/<int:comment_id>", API_EVERYONE, args={"comment_id": "comment"}),
    r("PATCH", "/api/v1/comments/<int:comment_id>", (401, 200, 403, 403, 403), args={"comment_id": "comment"},
      json={"body": "We ran the same pilot in Leeds for two years and halved the waiting time."}),
    r("DELETE", "/api/v1/comments/<int:comment_id>", (401, 204, 403, 403, 403), args={"comment_id": "comment"}),
    r("POST", "/api/v1/files", (401, 201, 201, 201, 201), files=PNG),
    r("POST", "/api/v1/files", (401, 404, 201, 201, 201), "to a draft", files=PNG, data={"article": "{draft}"}),
    r("POST", "/api/v1/imports", (401, 201, 201, 201, 201), files=DOCX),
    r("GET", "/api/v1/featured", API_EVERYONE),
    r("POST", "/api/v1/featured", (401, 403, 403, 403, 201), json={"slug": "{case_study}", "note": "From the API."}),
    r("DELETE", "/api/v1/featured/<slug>", (401, 403, 403, 403, 204), args={"slug": "featured"}),
    # Challenges (#18): asked by the owning agency (author, colleague); answered by the admin -------
    *CHALLENGE_ROWS,
]


# The world, each role's credentials, and putting the world back -------------------------------

class Snapshot:
    """The world's database as it was, and how to put it back: a file copy (SQLite) or its rows (PostgreSQL)."""

    def __init__(self, app, url: str, tmp: Path):
        self.app, self.url = app, url
        self._dispose()
        if url.startswith("sqlite"):
            self.path = Path(url.removeprefix("sqlite:///"))
            self.copy = tmp / "world.db"
            shutil.copy(self.path, self.copy)
        else:
            from exchange.db import database_url

            self.engine = sa.create_engine(database_url(url))
            metadata = sa.MetaData()
            metadata.reflect(self.engine)
            self.tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
            with self.engine.connect() as connection:
                self.rows = {t.name: [dict(row) for row in connection.execute(
                    sa.select(t).order_by(*t.primary_key.columns)).mappings()] for t in self.tables}

    def restore(self) -> None:
        self._dispose()
        if hasattr(self, "copy"):
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.copy, self.path)
            return
        with self.engine.begin() as connection:
            for table in reversed(self.tables):
                connection.execute(table.delete())
            for table in self.tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])

    def _dispose(self) -> None:
        self.app.extensions["exchange.db"].kw["bind"].dispose()

    def close(self) -> None:
        self._dispose()
        if hasattr(self, "engine"):
            self.engine.dispose()


@dataclass
class Matrix:
    app: object
    world: world_module.World
    cookies: dict
    snapshot: Snapshot
    dirty: bool = False


@pytest.fixture(scope="module")
def matrix(template_database, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authorization")
    if POSTGRES_URL:
        _empty_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        shutil.copy(template_database, tmp / "exchange.db")
        url = f"sqlite:///{tmp / 'exchange.db'}"
    from exchange import create_app

    # Limits relaxed rather than switched off: RATELIMIT_ENABLED=False would stay with the shared limiter
    # and switch them off for apps made later in this process.
    relaxed = {f"{name}_RATE_LIMIT": "10000 per minute" for name in ("LOGIN", "COMMENT", "ENDORSE")}
    app = create_app({**_config(url, tmp), **relaxed, "RECENT_AUTH_MINUTES": 600, "SESSION_IDLE_MINUTES": 600})
    world = world_module.build(app, "t")
    world.files = _files(app, world)
    cookies = {}
    for role in ROLES[1:]:
        client = app.test_client()
        person = _person(world, role)
        assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 302
        cookies[role] = client.get_cookie("session").value
    snapshot = Snapshot(app, url, tmp)
    yield Matrix(app, world, cookies, snapshot)
    snapshot.close()


def _files(app, world) -> SimpleNamespace:
    """An image in the published case study and one in the draft, uploaded by the author."""
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.files.services import upload

    with app.app_context():
        author = get_user(world.author.id)
        made = {slug: upload(author, samples.image(size=(20 + n, 20)), "chart.png", slug)
                for n, slug in enumerate((world.case_study, world.draft))}
        assert get_article(author, world.draft).status == "draft"
        return SimpleNamespace(**{name: SimpleNamespace(hash=made[slug].hash, name=made[slug].name)
                                  for name, slug in (("case_study", world.case_study), ("draft", world.draft))})


def _person(world, role):
    return {OTHER: world.other, C: world.colleague, A: world.author, ADM: world.admin}[role]


def _resolve(world, value: str) -> str:
    """A World attribute ("draft", "author.id"), or a literal ("=tag")."""
    if value.startswith("="):
        return value[1:]
    found = world
    for part in value.split("."):
        found = getattr(found, part)
    return str(found)


def path_of(row: Row, world) -> str:
    path = re.sub(r"<(?:[^<>]*:)?(\w+)>", lambda m: _resolve(world, row.args[m.group(1)]), row.rule)
    return f"{path}?{row.query}" if row.query else path


def _filled(body: dict | None, world) -> dict | None:
    if body is None:
        return None
    return {k: v.format(**vars(world)) if isinstance(v, str) and "{" in v and "}" in v and k != "body" else v
            for k, v in body.items()}


def ask(matrix: Matrix, row: Row, role: str):
    """Send the row's request as ``role``; return what came back, in the table's terms."""
    client = matrix.app.test_client()
    headers = {}
    if role != V:
        if row.rule.startswith("/api/"):
            headers["Authorization"] = f"Bearer {matrix.world.tokens[role]}"
        else:
            client.set_cookie("session", matrix.cookies[role])
    data = _filled(row.data, matrix.world)
    if row.files:
        data = {**(data or {}), **{key: (io.BytesIO(content), name) for key, (content, name) in row.files.items()}}
    response = client.open(path_of(row, matrix.world), method=row.method, headers=headers,
                           data=data, json=_filled(row.json, matrix.world))
    if response.status_code == 302 and urlsplit(response.location).path == "/login":
        return LOGIN, response
    return response.status_code, response


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id, marks=[pytest.mark.xfail(strict=True, reason=row.bug)]
                                              if row.bug else []) for row in TABLE])
def test_route_answers_each_role_as_the_table_says(matrix, row):
    wrong = []
    for role, expected in zip(ROLES, row.expected, strict=True):
        if matrix.dirty:
            matrix.snapshot.restore()
            matrix.dirty = False
        got, response = ask(matrix, row, role)
        matrix.dirty = row.method != "GET" and got not in (LOGIN, 401, 403, 404, 405)
        if got != expected:
            wrong.append(f"{role}: got {got}, expected {expected} ({response.get_data(as_text=True)[:200]!r})")
    assert not wrong, f"{row.id}:\n" + "\n".join(wrong)


# The table itself -------------------------------------------------------------------------------

def _routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    missing = _routes(app) - {(row.method, row.rule) for row in TABLE}
    assert not missing, "routes without rows in TABLE: add them:\n" + "\n".join(sorted(f"{m} {r}" for m, r in missing))


def test_the_table_names_only_routes_that_exist(app):
    stale = {(row.method, row.rule) for row in TABLE} - _routes(app)
    assert not stale, f"rows for routes that do not exist: {sorted(stale)}"


def test_every_article_route_has_a_draft_row_where_the_draft_does_not_exist(app):
    article_routes = {(m, rule) for m, rule in _routes(app)
                      if rule.startswith(("/articles/<slug>", "/api/v1/articles/<slug>"))}
    drafts = {(row.method, row.rule): row.expected for row in TABLE if row.args.get("slug") == "draft"}
    assert article_routes <= set(drafts), f"no draft row: {sorted(article_routes - set(drafts))}"
    for key, expected in drafts.items():
        visitor, other = expected[0], expected[1]
        # A visitor may be asked to sign in (or for a token) first: that says nothing about the draft.
        assert visitor in (404, LOGIN, 401) and other == 404, f"{key}: a draft must not exist for {V} and {OTHER}"


def test_every_admin_route_is_refused_to_members(app):
    admin = [row for row in TABLE if row.rule.startswith("/admin")]
    assert {rule for _, rule in _routes(app) if rule.startswith("/admin")} <= {row.rule for row in admin}
    for row in admin:
        assert row.expected[:4] == (LOGIN, 403, 403, 403), row.id

