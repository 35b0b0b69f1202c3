"""Writing, reading, editing and the visibility of articles, in pages and services."""
import re

from tests.conftest import bearer


def _form(**fields):
    data = {"title": "Answering residents within a day", "kind": "case_study", "summary": "How we cut reply times.",
            "body": "## Context\n\nWe had a backlog.", "tags": "Social Media, customer service", "evidence_level": "2",
            "stage": "pilot", "edit_policy": "agency", "review_by": "", "base_revision": "", "change_note": ""}
    data.update(fields)
    return data


def test_new_case_study_form_starts_from_the_template(client, make, auth):
    auth.login(make.user())
    page = client.get("/articles/new?editor=markdown").data.decode()
    for section in ["Context", "Challenge", "What we did", "Results", "Challenges and failures",
                    "Conditions for success", "Could it work elsewhere", "Lessons learned", "Contact"]:
        assert f"## {section}" in page


def test_new_playbook_form_starts_with_plays(client, make, auth):
    auth.login(make.user())
    page = client.get("/articles/new?kind=playbook&editor=markdown").data.decode()
    assert "## Play 1:" in page and "- [ ]" in page and "### Key questions" in page


def test_publish_from_the_form(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(publish="1"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/publish")  # check your answers
    assert "Check your answers" in client.get(response.headers["Location"]).data.decode()
    response = client.post(response.headers["Location"])
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).data.decode()
    assert "is published" in page
    assert "Answering residents within a day" in page and "Evidence level 2 of 5" in page
    assert "We measured a change" in page
    assert 'href="/tags/social-media"' in page


def test_preview_shows_rendered_body_and_saves_nothing(client, make, auth, app):
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(preview="1", body="**bold** move"))
    assert b"<strong>bold</strong>" in response.data
    assert client.get("/articles/answering-residents-within-a-day").status_code == 404


def test_refused_form_keeps_what_was_typed(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(title="ab", summary="kept summary text"))
    assert response.status_code == 422
    assert b"kept summary text" in response.data
    assert b'href="#title"' in response.data


def test_draft_is_404_for_another_agency_and_visitors(client, make, auth):
    author = make.user()
    article = make.article(author, status="draft")
    assert client.get(f"/articles/{article.slug}").status_code == 404
    auth.login(make.user())
    assert client.get(f"/articles/{article.slug}").status_code == 404
    assert client.get(f"/articles/{article.slug}/history").status_code == 404
    assert client.get(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(make.user()))).status_code == 404


def test_draft_is_visible_to_a_colleague_of_the_same_agency(client, make, auth):
    author = make.user()
    article = make.article(author, status="draft")
    auth.login(make.user(agency=author.agency))
    assert client.get(f"/articles/{article.slug}").status_code == 200


def test_drafts_never_appear_in_lists_or_counts(client, make):
    author = make.user()
    make.article(author, title="A visible practice")
    make.article(author, title="A secret draft", status="draft")
    for path in ["/case-studies", f"/agencies/{author.agency.slug}", "/api/v1/articles", "/tags", "/agencies"]:
        body = client.get(path).data.decode()
        assert "A secret draft" not in body, path
    assert client.get("/api/v1/articles").json["total"] == 1
    counts = {a["slug"]: a["article_count"] for a in client.get("/api/v1/agencies").json["items"]}
    assert counts[author.agency.slug] == 1


def test_agency_policy_lets_colleagues_edit_but_not_others(client, make, auth):
    author = make.user()
    article = make.article(author)
    auth.login(make.user())
    assert client.get(f"/articles/{article.slug}/edit").status_code == 403
    assert client.post(f"/articles/{article.slug}/edit", data=_form(base_revision="1")).status_code == 403
    auth.logout()
    auth.login(make.user(agency=author.agency))
    assert client.get(f"/articles/{article.slug}/edit").status_code == 200


def test_open_policy_lets_any_member_edit(client, make, auth):
    article = make.article(kind="playbook", edit_policy="open")
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/edit",
                           data=_form(kind="playbook", edit_policy="open", base_revision="1", title="Better title"))
    assert response.status_code == 302
    assert b"Better title" in client.get(f"/articles/{article.slug}").data


def test_admin_may_edit_any_article(client, make, auth):
    article = make.article()
    auth.login(make.admin())
    assert client.get(f"/articles/{article.slug}/edit").status_code == 200


def test_each_save_makes_a_revision_and_history_lists_them(client, make, auth):
    author = make.user()
    article = make.article(author, title="Original title")
    auth.login(author)
    client.post(f"/articles/{article.slug}/edit",
                data=_form(title="Second title", base_revision="1", change_note="retitled"))
    client.post(f"/articles/{article.slug}/edit", data=_form(title="Third title", base_revision="2"))
    history = client.get(f"/articles/{article.slug}/history").data.decode()
    assert "retitled" in history and "3 (current)" in history
    api = client.get(f"/api/v1/articles/{article.slug}/revisions").json["items"]
    assert [r["number"] for r in api] == [3, 2, 1]
    assert api[2]["title"] == "Original title"


def test_renamed_title_keeps_the_slug(client, make, auth):
    author = make.user()
    article = make.article(author, title="Original title")
    auth.login(author)
    client.post(f"/articles/{article.slug}/edit", data=_form(title="A new name", base_revision="1"))
    assert client.get("/articles/original-title").status_code == 200


def test_diff_between_revisions(client, make, auth):
    author = make.user()
    article = make.article(author, body="line one\nline two")
    auth.login(author)
    client.post(f"/articles/{article.slug}/edit",
                data=_form(title=article.title, body="line one\nline 2 changed", base_revision="1"))
    page = client.get(f"/articles/{article.slug}/diff?from=1&to=2").data.decode()
    assert "<del><span class=\"visually-hidden\">Removed: </span>line two</del>" in page
    assert "line 2 changed</ins>" in page


def test_diff_of_missing_revision_is_404(client, make):
    article = make.article()
    assert client.get(f"/articles/{article.slug}/diff?from=1&to=99").status_code == 404
    assert client.get(f"/articles/{article.slug}/diff?from=x&to=1").status_code == 404


def test_restore_makes_a_new_revision(client, make, auth):
    author = make.user()
    article = make.article(author, title="First version")
    auth.login(author)
    client.post(f"/articles/{article.slug}/edit", data=_form(title="Second version", base_revision="1"))
    response = client.post(f"/articles/{article.slug}/restore", data={"revision": "1", "base_revision": "2",
                                                                        "confirm": "1"})
    assert response.status_code == 302
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "First version" in page and "Revision 3" in page


def test_conflicting_edit_never_overwrites_and_keeps_the_text(client, make, auth, app):
    author = make.user()
    colleague = make.user(agency=author.agency)
    article = make.article(author, body="Shared starting text")
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": "correct horse battery staple"})
    theirs = other.post(f"/articles/{article.slug}/edit",
                        data=_form(title=article.title, body="Colleague's edit", base_revision="1"))
    assert theirs.status_code == 302
    auth.login(author)
    response = client.post(f"/articles/{article.slug}/edit",
                           data=_form(title=article.title, body="My own careful words", base_revision="1"))
    assert response.status_code == 409
    page = response.data.decode()
    assert "My own careful words" in page          # my text kept
    assert "Colleague&#39;s edit" in page or "Colleague's edit" in page  # their change shown
    assert 'name="base_revision" type="hidden" value="2"' in page
    assert "Colleague" in client.get(f"/articles/{article.slug}").data.decode()
    # Resubmitting the merged text on top of revision 2 works.
    merged = client.post(f"/articles/{article.slug}/edit",
                         data=_form(title=article.title, body="Merged words", base_revision="2"))
    assert merged.status_code == 302


def test_wiki_links_and_backlinks(client, make):
    author = make.user()
    target = make.article(author, title="Open data portal")
    source = make.article(author, title="Our data journey",
                          body="We built on [[open-data-portal|the portal]] and [[Not yet written]].")
    page = client.get(f"/articles/{source.slug}").data.decode()
    assert '<a class="wikilink" href="/articles/open-data-portal">the portal</a>' in page
    assert "wikilink-missing" in page
    backlinks = client.get(f"/articles/{target.slug}").data.decode()
    assert f'href="/articles/{source.slug}"' in backlinks


def test_missing_link_becomes_real_when_the_article_is_written(client, make):
    author = make.user()
    source = make.article(author, body="See [[Future practice]].")
    make.article(author, title="Future practice")
    page = client.get(f"/articles/{source.slug}").data.decode()
    assert 'href="/articles/future-practice"' in page and "wikilink-missing" not in page


def test_review_by_in_the_past_shows_banner_and_review_list(client, make):
    author = make.user()
    article = make.article(author, review_by="2020-01-31")
    assert b"may be out of date" in client.get(f"/articles/{article.slug}").data
    assert b"Due for review" in client.get(f"/agencies/{author.agency.slug}").data


def test_playbook_page_numbers_its_plays(client, make):
    body = ("Intro.\n\n## Play 1: Start small\n\nWhy.\n\n- [ ] Task\n\n### Key questions\n\n- Q?\n\n"
            "## Play 2: Measure\n\nWhy.")
    article = make.article(kind="playbook", body=body)
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert re.search(r'<h2 id="plays-title">The plays</h2>\s*<ol><li><a href="#play-1-start-small">', page)
    assert 'type="checkbox" disabled' in page


def test_lists_paginate_and_sort(client, make):
    author = make.user()
    for i in range(25):
        make.article(author, title=f"Practice number {i:02d}")
    first = client.get("/case-studies").data.decode()
    assert "Practice number 24" in first and "Page 1 of 2" in first
    second = client.get("/case-studies?page=2").data.decode()
    assert "Practice number 00" in second
    assert client.get("/case-studies?page=abc&sort=nonsense").status_code == 200


def test_archived_article_leaves_lists_but_keeps_its_page(client, make, auth):
    author = make.user()
    article = make.article(author, title="Old practice")
    auth.login(author)
    client.post(f"/articles/{article.slug}/archive", data={"reason": "Replaced by newer guidance."})
    assert b"Old practice" not in client.get("/case-studies").data
    assert b"archived" in client.get(f"/articles/{article.slug}").data


def test_tag_and_agency_pages(client, make):
    author = make.user()
    make.article(author, title="Tagged practice", tags=["Open Data"])
    assert b"Tagged practice" in client.get("/tags/open-data").data
    assert b"Tagged practice" in client.get("/tags/Open%20Data").data
    assert b"Open Data" in client.get("/tags").data
    assert b"Tagged practice" in client.get(f"/agencies/{author.agency.slug}").data
    assert client.get("/tags/nothing-here").status_code == 404
    assert client.get("/agencies/nothing-here").status_code == 404


def test_visitor_cannot_write(client):
    response = client.get("/articles/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_article_text_fields_are_escaped(client, make):
    article = make.article(title="<script>alert(1)</script> title", summary="<img src=x onerror=alert(1)>",
                           tags=["<b>bold</b>"])
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>bold</b>" not in page


def test_renaming_an_article_updates_links_by_title(client, make, auth):
    author = make.user()
    target = make.article(author, title="Budget games")
    source = make.article(author, body="Try [[Budget games]] and [[Budget cards]].")
    assert 'href="/articles/budget-games"' in client.get(f"/articles/{source.slug}").data.decode()
    auth.login(author)
    client.post(f"/articles/{target.slug}/edit", data=_form(title="Budget cards", base_revision="1"))
    page = client.get(f"/articles/{source.slug}").data.decode()
    # both links now point at the renamed article: one by its slug, one by its new title
    assert page.count('href="/articles/budget-games"') == 2 and "wikilink-missing" not in page


def test_archiving_the_target_turns_links_back_into_create_links(client, make, auth):
    author = make.user()
    target = make.article(author, title="Soon gone")
    source = make.article(author, body="See [[soon-gone]].")
    auth.login(author)
    client.post(f"/articles/{target.slug}/archive", data={"reason": "The service closed."})
    assert "wikilink-missing" in client.get(f"/articles/{source.slug}").data.decode()


def test_slug_suffix_when_the_title_is_taken(make):
    author = make.user()
    first = make.article(author, title="Same title")
    second = make.article(author, title="Same title")
    third = make.article(author, title="Same title")
    assert (first.slug, second.slug, third.slug) == ("same-title", "same-title-2", "same-title-3")
