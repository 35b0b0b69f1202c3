"""The editing defects a newcomer hit (issue 16, item 7), each pinned by a test that failed before its fix."""
from tests.conftest import bearer


def _form(**fields):
    return {"title": "Answering residents within a day", "kind": "case_study", "summary": "How we cut reply times.",
            "body": "## Context\n\nWe had a backlog.", "tags": "", "evidence_level": "", "stage": "",
            "edit_policy": "agency", "review_by": "", "base_revision": "", "change_note": "", **fields}


# Wiki links read as their target's title ----------------------------------------------------------

def test_a_wiki_link_by_slug_reads_as_the_targets_title(client, make):
    make.article(title="Budget games for residents")
    source = make.article(body="See [[budget-games-for-residents]] and [[budget-games-for-residents|the games]].")
    page = client.get(f"/articles/{source.slug}").get_data(as_text=True)
    assert '<a class="wikilink" href="/articles/budget-games-for-residents">Budget games for residents</a>' in page
    assert '<a class="wikilink" href="/articles/budget-games-for-residents">the games</a>' in page  # own text kept


def test_a_wiki_links_text_follows_its_target_when_renamed(client, make, auth):
    author = make.user()
    target = make.article(author, title="Budget games")
    source = make.article(author, body="See [[budget-games]].")
    auth.login(author)
    client.post(f"/articles/{target.slug}/edit", data=_form(title="Budget card games", base_revision="1"))
    page = client.get(f"/articles/{source.slug}").get_data(as_text=True)
    assert '<a class="wikilink" href="/articles/budget-games">Budget card games</a>' in page


def test_a_missing_wiki_link_still_reads_as_written(client, make):
    source = make.article(body="See [[not-written-yet]].")
    page = client.get(f"/articles/{source.slug}").get_data(as_text=True)
    assert ">not-written-yet</a>" in page and "wikilink-missing" in page


# Preview resolves wiki links ---------------------------------------------------------------------

def test_preview_links_existing_articles_and_marks_only_missing_ones(client, make, auth):
    make.article(title="Open budget games")
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(preview="1", body="[[open-budget-games]] and [[nowhere-yet]]"))
    preview = response.get_data(as_text=True).split('id="preview-title"', 1)[1]
    assert '<a class="wikilink" href="/articles/open-budget-games">Open budget games</a>' in preview
    assert preview.count("wikilink-missing") == 1 and "nowhere-yet" in preview


def test_preview_never_links_a_draft_another_agency_could_not_see(client, make, auth):
    make.article(title="Secret draft plan", status="draft")
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(preview="1", body="[[Secret draft plan]]"))
    assert "wikilink-missing" in response.get_data(as_text=True).split('id="preview-title"', 1)[1]


# Topics compared as sets ---------------------------------------------------------------------------

def test_the_first_edit_shows_no_topics_change_when_topics_were_typed_out_of_order(client, make, auth):
    author = make.user()
    auth.login(author)
    slug = client.post("/articles/new", data=_form(tags="Zoning, accessibility", save="1")).headers["Location"]
    slug = slug.removeprefix("/articles/")
    client.post(f"/articles/{slug}/edit", data=_form(tags="Zoning, accessibility", base_revision="1",
                                                      summary="How we cut reply times to a day."))
    page = client.get(f"/articles/{slug}/diff?from=1&to=2").get_data(as_text=True)
    assert "<h3>Summary</h3>" in page and "<h3>Topics</h3>" not in page


# Restore asks first, then says so ------------------------------------------------------------------

def test_restore_shows_what_will_change_and_asks_before_restoring(client, make, auth):
    author = make.user()
    article = make.article(author, title="First version")
    auth.login(author)
    client.post(f"/articles/{article.slug}/edit", data=_form(title="Second version", base_revision="1"))
    history = client.get(f"/articles/{article.slug}/history").get_data(as_text=True)
    assert f'href="/articles/{article.slug}/restore?revision=1"' in history
    asked = client.post(f"/articles/{article.slug}/restore", data={"revision": "1", "base_revision": "2"})
    assert asked.status_code == 200  # a restore button alone restores nothing
    page = asked.get_data(as_text=True)
    assert "Restore revision 1?" in page and "Second version" in page and "First version" in page
    assert client.get(f"/api/v1/articles/{article.slug}").json["revision"] == 2
    done = client.post(f"/articles/{article.slug}/restore", data={"revision": "1", "base_revision": "2",
                                                                  "confirm": "1"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Revision 1 restored" in page and "First version" in page


# Confirmation messages ------------------------------------------------------------------------------

def test_saving_a_draft_and_saving_changes_say_so(client, make, auth):
    author = make.user()
    auth.login(author)
    location = client.post("/articles/new", data=_form(save="1")).headers["Location"]
    assert "Your draft is saved" in client.get(location).get_data(as_text=True)
    article = make.article(author)
    response = client.post(f"/articles/{article.slug}/edit", data=_form(base_revision="1", save="1"))
    location = response.headers["Location"]
    assert "Your changes are saved" in client.get(location).get_data(as_text=True)


def test_publishing_from_the_article_page_says_so(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft", title="Ready now")
    auth.login(author)
    page = client.get(f"/articles/{draft.slug}").get_data(as_text=True)
    assert f'href="/articles/{draft.slug}/publish"' in page
    location = client.post(f"/articles/{draft.slug}/publish").headers["Location"]
    assert "“Ready now” is published" in client.get(location).get_data(as_text=True)


# My drafts --------------------------------------------------------------------------------------------

def test_my_drafts_are_on_the_profile_and_the_signed_in_home_page(client, make, auth):
    author = make.user()
    make.article(author, status="draft", title="My half-written idea")
    make.article(make.user(agency=author.agency), status="draft", title="A colleague's draft")
    make.article(author, title="Already out")
    auth.login(author)
    for path in ("/profile", "/"):
        page = client.get(path).get_data(as_text=True)
        drafts = page.split('id="my-drafts-title"', 1)[1].split("</section>", 1)[0]
        assert "My half-written idea" in drafts, path
        assert "A colleague's draft" not in drafts and "Already out" not in drafts, path
    auth.logout()
    assert "My half-written idea" not in client.get("/").get_data(as_text=True)


# Phone layouts -----------------------------------------------------------------------------------------

def test_history_table_stacks_on_a_phone_with_labels_for_each_cell(client, make):
    article = make.article()
    page = client.get(f"/articles/{article.slug}/history").get_data(as_text=True)
    assert 'class="data-table stack-table"' in page and 'data-label="Who"' in page


def test_the_contents_come_first_on_a_phone_in_a_disclosure(client, make):
    body = "\n\n".join(f"## Part {n}\n\nText {n}." for n in range(4))
    article = make.article(body=body)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert page.index('<details class="toc-phone"') < page.index('class="prose"')
    assert "<summary>Contents</summary>" in page


def test_api_article_html_has_titles_in_wiki_links(client, make):
    make.article(title="Citizen panels")
    source = make.article(body="[[citizen-panels]]")
    html = client.get(f"/api/v1/articles/{source.slug}", headers=bearer(make.token(make.user()))).json["html"]
    assert ">Citizen panels</a>" in html
