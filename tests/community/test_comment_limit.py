"""The comment rate limit counts accepted comments only, and a refusal never loses what was typed."""
from tests.conftest import bearer


def test_refused_comments_do_not_count_against_the_limit(client, make):
    article = make.article()
    headers = bearer(make.token(make.user()))
    for _ in range(6):  # contentless: refused by the house rules, six times
        response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": "+1"}, headers=headers)
        assert response.status_code == 422
    statuses = [client.post(f"/api/v1/articles/{article.slug}/comments", headers=headers,
                            json={"body": f"Our pilot number {n} in Leeds cut calls."}).status_code for n in range(6)]
    assert statuses == [201] * 5 + [429]


def test_refused_comments_in_the_page_do_not_count_either(client, make, auth):
    article = make.article()
    auth.login(make.user())
    for _ in range(6):
        assert client.post(f"/articles/{article.slug}/comments", data={"body": "thanks!"}).status_code == 422
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "We tried this in Leeds last year."})
    assert response.status_code == 302


def test_over_the_limit_the_page_shows_the_form_again_with_the_text_kept(client, make, auth):
    article = make.article()
    auth.login(make.user())
    for n in range(5):
        assert client.post(f"/articles/{article.slug}/comments",
                           data={"body": f"Our pilot number {n} in Leeds cut calls."}).status_code == 302
    typed = "A long thought about our pilot in York, which I would hate to type again."
    response = client.post(f"/articles/{article.slug}/comments", data={"body": typed})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert typed in page and "<textarea" in page
    assert "There is a problem" in page and "Wait a minute" in page
