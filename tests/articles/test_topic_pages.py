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
