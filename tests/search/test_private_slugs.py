"""Search follows a draft to the public address it takes when it is first published."""
from tests.conftest import bearer


def test_search_finds_the_published_draft_at_its_public_address(client, make, auth):
    author = make.user(agency=make.agency("harbour"))
    draft = make.article(author, status="draft", title="Road safety audits")
    make.article(title="Road safety audits")
    auth.login(author)
    client.post(f"/articles/{draft.slug}/publish")
    token = make.token(author)
    found = {(r["slug"], r["agency"]["slug"]) for r in client.get(
        "/api/v1/search?q=road+safety+audits", headers=bearer(token)).json["results"]}
    assert ("road-safety-audits-2", "harbour") in found and len(found) == 2
