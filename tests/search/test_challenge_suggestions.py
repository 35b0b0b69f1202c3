"""A challenge page suggests published practices like its text, on every search backend (search/related.py)."""
from tests.conftest import bearer


def test_the_challenge_page_suggests_practices_like_its_problem(client, make, publish, auth):
    answering = make.agency("alpha-county", name="Alpha County")
    writer = make.user(agency=answering)
    publish(title="Replying to residents about missed bin collections", author=writer,
            body="## Context\n\nResidents asked about missed bin collections; we replied within a day with a rota.")
    publish(title="Gritting roads in winter", author=writer, body="## Context\n\nSalt, lorries and snow ploughs.")
    make.article(writer, status="draft", title="Bin collection replies by chatbot",
                 body="## Context\n\nMissed bin collections answered by a chatbot.")
    asker = make.user(agency=make.agency("beta-city", name="Beta City Council"))
    asked = client.post("/api/v1/challenges", headers=bearer(make.token(asker)), json={
        "title": "Residents waiting for replies about missed bin collections", "status": "open",
        "problem": "Residents who report missed bin collections wait weeks for a reply."})
    assert asked.status_code == 201
    auth.login(make.user(agency=answering))
    page = client.get(f"/challenges/{asked.json['slug']}").data.decode()
    suggestions = page.split("Practices that may answer it:", 1)[1].split("</ul>", 1)[0]
    assert "Replying to residents about missed bin collections" in suggestions
    assert "Bin collection replies by chatbot" not in suggestions  # a draft is never suggested
