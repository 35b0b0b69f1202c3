"""The house rules: a comment must add something, at most one link, no blocked domains, new accounts' links wait."""
import pytest

from exchange.community.rules import BRIEF_MESSAGE
from tests.conftest import bearer

BRIEF = [
    "good post", "Great article!", "+1", "thanks!!", "nice", "Thank you", "cool", "agreed", "well done", "👍",
    "interesting", "love this", "first!", "GOOOOD POST!!!", "Thaaaanks 🙏🙏", "Nice work, thanks for sharing!",
    "Thank you so much, this is a really great post!", "+1 +1", "  👍👍  ", "Agreed!!!", "Wow. Just wow.",
    "**Great** _article_", "Cool cool cool", "Love it ❤️", "Brilliant, well done all!", "Merci !",
]
NEAR_MISSES = [
    "Thanks — we tried the same in Leeds and cut calls by 20%",
    "Thanks for this. We ran a similar pilot in our housing team and found that replying within the hour "
    "mattered more than the tone. Did you measure satisfaction as well?",
    "How did you measure the drop in calls?",
    "Great post. Which case management tool did you use for the triage queue?",
    "Source for the 20% figure?",
    "Agreed — our council saw the same drop after moving the form online.",
]


@pytest.mark.parametrize("body", BRIEF)
def test_brief_comment_without_content_is_refused_with_the_reason(client, make, body):
    article = make.article()
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": body},
                           headers=bearer(make.token(make.user())))
    assert response.status_code == 422
    assert response.json["error"]["message"] == BRIEF_MESSAGE
    assert response.json["error"]["fields"]["body"] == BRIEF_MESSAGE
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 0


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_comment_that_adds_something_is_published_even_when_it_starts_with_thanks(client, make, body):
    article = make.article()
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": body},
                           headers=bearer(make.token(make.user())))
    assert response.status_code == 201
    assert response.json["status"] == "published" and response.json["body"] == body


def test_refusal_message_says_what_a_good_comment_looks_like():
    for words in ("a question", "an experience from your agency", "a resource", "use Endorse instead"):
        assert words in BRIEF_MESSAGE


def test_brief_comment_in_the_page_is_refused_and_keeps_the_text(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "Great post!!! 👍"})
    assert response.status_code == 422
    page = response.data.decode()
    assert "Comments here need to add something" in page and "Great post!!! 👍" in page
    assert 'href="#body"' in page  # the error summary names the field


def test_empty_comment_is_refused(client, make):
    article = make.article()
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": "  \n "},
                           headers=bearer(make.token(make.user())))
    assert response.status_code == 422 and "body" in response.json["error"]["fields"]


def test_comment_of_at_most_10_kb(client, make):
    article = make.article()
    token = make.token(make.user())
    assert community_post(client, token, article, "pilot " * 1666 + "data").status_code == 201  # 10,000 bytes
    response = community_post(client, token, article, "pilot " * 1667)
    assert response.status_code == 422
    assert "too long" in response.json["error"]["message"] and "body" in response.json["error"]["fields"]


def community_post(client, token, article, body):
    return client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": body}, headers=bearer(token))


def test_at_most_one_link(client, make, community):
    article = make.article()
    user = community.established(make.user(), article)
    two = "Our guidance is at https://a.example/guide and the data at https://b.example/data."
    response = community.post(make.token(user), article, two)
    assert response.status_code == 422
    assert "at most one link" in response.json["error"]["message"]
    assert response.json["error"]["fields"]["body"]
    one = "Our guidance is at [our guide](https://a.example/guide), with the data inside."
    assert community.post(make.token(user), article, one).json["status"] == "published"


@pytest.mark.parametrize("url", [
    "https://bit.ly/abc", "http://BIT.LY/abc", "https://go.bit.ly/abc", "https://tinyurl.com/x",
    "https://bit.ly./abc", "https://someone@bit.ly/abc", "http:\\\\bit.ly\\abc",
])
def test_links_to_a_blocked_domain_or_its_subdomains_are_refused(client, make, community, url):
    article = make.article()
    user = community.established(make.user(), article)
    response = community.post(make.token(user), article, f"The evaluation report is here: [report]({url})")
    assert response.status_code == 422
    assert "not allowed" in response.json["error"]["message"]
    assert response.json["error"]["fields"]["body"]


def test_a_domain_that_only_ends_like_a_blocked_one_is_fine(client, make, community):
    article = make.article()
    user = community.established(make.user(), article)
    response = community.post(make.token(user), article, "The evaluation report: https://notbit.ly/report")
    assert response.status_code == 201


def test_the_block_list_is_configurable(new_app):
    from tests.community.conftest import Community
    from tests.conftest import Factory

    app = new_app(COMMENT_LINK_BLOCKLIST=["spam.example"])
    make, community = Factory(app), Community(app, app.test_client())
    article = make.article()
    user = community.established(make.user(), article)
    token = make.token(user)
    assert community.post(token, article, "Evaluation: https://www.spam.example/x").status_code == 422
    assert community.post(token, article, "Evaluation: https://bit.ly/x").status_code == 201


def test_first_comment_with_a_link_from_a_new_account_waits_for_approval(client, make, auth):
    article = make.article()
    newcomer = make.user(name="Nia Newcomer")
    response = client.post(f"/api/v1/articles/{article.slug}/comments",
                           json={"body": "We published our results at https://data.example/leeds"},
                           headers=bearer(make.token(newcomer)))
    assert response.status_code == 201 and response.json["status"] == "pending"
    # Others do not see it.
    assert client.get(f"/api/v1/articles/{article.slug}/comments").json["total"] == 0
    assert "data.example/leeds" not in client.get(f"/articles/{article.slug}").data.decode()
    # Its author does, with a notice.
    auth.login(newcomer)
    page = client.get(f"/articles/{article.slug}").data.decode()
    assert "data.example/leeds" in page and "Waiting for a moderator" in page


def test_page_tells_the_author_that_the_comment_waits(client, make, auth):
    article = make.article()
    auth.login(make.user())
    response = client.post(f"/articles/{article.slug}/comments",
                           data={"body": "Our results are at https://data.example/leeds"}, follow_redirects=True)
    assert "wait for a moderator" in response.data.decode()


def test_comment_without_a_link_from_a_new_account_is_published(client, make):
    article = make.article()
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": "We tried this in Leeds."},
                           headers=bearer(make.token(make.user())))
    assert response.json["status"] == "published"


def test_old_account_without_published_comments_still_waits_for_its_first_link(client, make, community):
    article = make.article()
    user = make.user()
    community.age(user, days=60)
    assert community.post(make.token(user), article, "Results: https://data.example/x").json["status"] == "pending"


def test_young_account_with_published_comments_still_waits_for_its_first_link(client, make, community):
    article = make.article()
    user = make.user()
    community.comment(user, article)
    assert community.post(make.token(user), article, "Results: https://data.example/x").json["status"] == "pending"


def test_established_account_links_go_straight_through(client, make, community):
    article = make.article()
    user = community.established(make.user(), article)
    assert community.post(make.token(user), article, "Results: https://data.example/x").json["status"] == "published"


def test_once_a_link_is_approved_the_next_ones_go_through(client, make, community, app):
    from exchange.accounts.services import get_user
    from exchange.curation import moderation

    article = make.article()
    user, admin = make.user(), make.admin()
    first = community.post(make.token(user), article, "Results: https://data.example/x").json
    with app.app_context():
        moderation.approve_comment(get_user(admin.id), moderation.get_comment(first["id"]))
    response = community.post(make.token(user), article, "More results from Leeds: https://data.example/y")
    assert response.json["status"] == "published"


def test_admins_links_go_straight_through(client, make, community):
    article = make.article()
    admin = make.admin()
    assert community.post(make.token(admin), article, "Guidance: https://gov.example/x").json["status"] == "published"


def test_editing_a_link_into_a_new_accounts_comment_holds_it(client, make, community):
    article = make.article()
    user = make.user()
    token = make.token(user)
    comment = community.post(token, article, "We tried this in Leeds.").json
    response = client.patch(f"/api/v1/comments/{comment['id']}", json={"body": "Our results: https://x.example/r"},
                            headers=bearer(token))
    assert response.status_code == 200 and response.json["status"] == "pending"


def test_comments_are_rate_limited_per_person(client, make):
    article = make.article()
    token = make.token(make.user())
    statuses = [client.post(f"/api/v1/articles/{article.slug}/comments",
                            json={"body": f"Our pilot number {n} in Leeds cut calls."},
                            headers=bearer(token)).status_code
                for n in range(6)]
    assert statuses == [201] * 5 + [429]
    other = make.token(make.user())
    assert client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": "We saw the same in York."},
                       headers=bearer(other)).status_code == 201


def test_rate_limit_counts_pages_and_api_together(client, make, auth):
    article = make.article()
    user = make.user()
    token = make.token(user)
    for n in range(5):
        client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": f"Our pilot {n} in Leeds."},
                    headers=bearer(token))
    auth.login(user)
    assert client.post(f"/articles/{article.slug}/comments", data={"body": "Our pilot in York."}).status_code == 429
