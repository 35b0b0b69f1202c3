"""A topic's page leads with its most endorsed practices and says how many people follow it."""
from tests.conftest import bearer


def test_topic_page_shows_top_practices_and_the_number_of_followers(client, make, auth):
    author = make.user()
    make.article(author, title="Quiet practice", tags=["crowd voting"])
    loved = make.article(author, title="Loved practice", tags=["crowd voting"])
    endorser = make.user()
    assert client.put(f"/api/v1/articles/{loved.slug}/endorsement", json={"kind": "adopt"},
                      headers=bearer(make.token(endorser))).status_code in (200, 201)
    auth.login(endorser)
    assert client.post("/follow/tag/crowd-voting").status_code == 302
    auth.logout()
    page = client.get("/tags/crowd-voting").get_data(as_text=True)
    top = page.split('id="top-title"', 1)[1].split("</section>", 1)[0]
    assert "Loved practice" in top and "Quiet practice" not in top
    assert "1 follower" in page


def test_a_topic_nobody_endorsed_has_no_top_section(client, make):
    make.article(title="Lonely practice", tags=["crowd labour"])
    page = client.get("/tags/crowd-labour").get_data(as_text=True)
    assert 'id="top-title"' not in page and "0 followers" in page


def _form(**fields):
    return {"title": "Matched funding for village halls", "kind": "case_study", "summary": "We doubled gifts.",
            "body": "## Context\n\nHalls were closing.", "evidence_level": "", "stage": "", "edit_policy": "agency",
            "review_by": "", "base_revision": "", "change_note": "", "save": "1", **fields}


def test_a_new_topic_close_to_an_existing_one_asks_did_you_mean_once(client, make, auth):
    make.article(title="Crowdfunding the harbour", tags=["crowdfunding"])
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(tags="crowd funding, village halls"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Did you mean “crowdfunding” (1 published)?" in page
    assert 'name="topics_confirmed" value="crowd funding, village halls"' in page
    assert client.get("/api/v1/tags").json["items"] == [{"slug": "crowdfunding", "name": "crowdfunding",
                                                         "article_count": 1}]  # nothing saved yet
    again = client.post("/articles/new", data=_form(tags="crowd funding, village halls",
                                                    topics_confirmed="crowd funding, village halls"))
    assert again.status_code == 302  # meant: the new topic is made


def test_an_existing_topic_or_a_distant_new_one_is_not_asked_about(client, make, auth):
    make.article(title="Crowdfunding the harbour", tags=["crowdfunding"])
    auth.login(make.user())
    assert client.post("/articles/new", data=_form(tags="Crowdfunding, village halls")).status_code == 302


def test_did_you_mean_never_names_a_topic_only_drafts_use(client, make, auth):
    make.article(title="Secret", tags=["crowdfunding"], status="draft")
    auth.login(make.user())
    assert client.post("/articles/new", data=_form(tags="crowd funding")).status_code == 302
