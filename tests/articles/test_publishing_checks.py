"""Publishing refuses sections that are empty or still the template's own text; drafts may keep it."""
from pathlib import Path

import pytest
import yaml

from exchange.articles.checks import unfilled_sections
from exchange.articles.starters import CASE_STUDY, PLAYBOOK
from tests.conftest import bearer

CASE_SECTIONS = ["Context", "Challenge", "What we did", "Results", "Challenges and failures",
                 "Conditions for success", "Could it work elsewhere", "Lessons learned", "Contact"]
CONTENT = Path(__file__).resolve().parents[2] / "content"


def _filled_case_study() -> str:
    return "\n\n".join(f"## {name}\n\nOur own words about {name.lower()}." for name in CASE_SECTIONS)


def _with(section: str, text: str) -> str:
    """A filled case study whose ``section`` says ``text``."""
    return _filled_case_study().replace(f"Our own words about {section.lower()}.", text)


def test_the_untouched_case_study_template_names_every_section():
    assert [each.section for each in unfilled_sections("case_study", CASE_STUDY)] == CASE_SECTIONS


def test_the_untouched_playbook_template_names_its_introduction_and_placeholder_plays():
    found = [(each.section, each.reason) for each in unfilled_sections("playbook", PLAYBOOK)]
    assert found == [("Introduction", "template"), ("Play 1: Name the first play", "heading"),
                     ("Play 2: Name the next play", "heading")]


def test_a_filled_case_study_passes():
    assert unfilled_sections("case_study", _filled_case_study()) == []


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("The problem you set out to solve, and for whom.", "template"),
    ("  The problem you set out to   solve, and for whom.  \n\n-  \n", "template"),
])
def test_one_unfilled_section_is_named_alone(text, reason):
    found = unfilled_sections("case_study", _with("Challenge", text))
    assert [(each.section, each.reason) for each in found] == [("Challenge", reason)]


def test_the_results_table_counts_once_a_row_is_filled_even_under_the_hint():
    results = ("What changed, with numbers where there are any.\n\n| Measure | Before | After |\n"
               "| --- | --- | --- |\n| Replies within a day | 40% | 85% |")
    assert unfilled_sections("case_study", _with("Results", results)) == []
    empty_table = ("What changed, with numbers where there are any.\n\n| Measure | Before | After |\n"
                   "| --- | --- | --- |\n|  |  |  |")
    assert [each.section for each in unfilled_sections("case_study", _with("Results", empty_table))] == ["Results"]


def test_sections_removed_or_added_are_not_asked_for():
    assert unfilled_sections("case_study", "## Context\n\nWe had a backlog.\n\n## Notes\n") == []


def test_a_renamed_play_that_keeps_only_the_templates_text_is_named():
    body = ("How to answer residents.\n\n## Play 1: Listen first\n\nWhy this play matters, in a short paragraph.\n\n"
            "- [ ] A task to do\n- [ ] Another task\n\n### Key questions\n\n"
            "- A question the team should be able to answer\n")
    assert [each.section for each in unfilled_sections("playbook", body)] == ["Play 1: Listen first"]


def test_a_heading_inside_a_code_block_is_not_a_section():
    body = "## Context\n\n```\n## Challenge\n```\n"
    assert unfilled_sections("case_study", body) == []


def test_an_empty_body_is_refused():
    assert [each.message for each in unfilled_sections("case_study", " \n\n")] == [
        "Write the article: its body is empty."]


def test_every_starter_article_in_content_passes():
    failing = {}
    articles = sorted([*CONTENT.glob("case-studies/*.md"), *CONTENT.glob("playbooks/*.md")])  # not challenges/
    for path in articles:
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        found = unfilled_sections(meta["kind"], body)
        if found:
            failing[path.name] = [each.section for each in found]
    assert len(articles) >= 15
    assert failing == {}


# The API ----------------------------------------------------------------------------------------

def test_publishing_the_template_through_the_api_is_422_naming_the_sections(client, make):
    headers = bearer(make.token(make.user()))
    response = client.post("/api/v1/articles", headers=headers, json={
        "title": "Unfilled", "kind": "case_study", "summary": "S.", "body": CASE_STUDY, "status": "published"})
    assert response.status_code == 422
    error = response.json["error"]
    assert list(error["fields"]) == ["body"]
    assert all(name in error["fields"]["body"] for name in CASE_SECTIONS)
    assert [each["section"] for each in error["sections"]] == CASE_SECTIONS
    assert client.get("/api/v1/articles", headers=headers).json["total"] == 0  # nothing was written


def test_a_draft_may_keep_the_template_and_publishing_it_later_is_refused(client, make):
    headers = bearer(make.token(make.user()))
    draft = client.post("/api/v1/articles", headers=headers, json={
        "title": "Unfilled", "kind": "case_study", "summary": "S.", "body": CASE_STUDY}).json
    assert draft["status"] == "draft"
    response = client.patch(f"/api/v1/articles/{draft['slug']}", headers=headers,
                            json={"status": "published", "base_revision": 1})
    assert response.status_code == 422 and "Context" in response.json["error"]["fields"]["body"]
    assert client.get(f"/api/v1/articles/{draft['slug']}", headers=headers).json["revision"] == 1
    response = client.patch(f"/api/v1/articles/{draft['slug']}", headers=headers,
                            json={"status": "published", "base_revision": 1, "body": _filled_case_study()})
    assert response.status_code == 200 and response.json["status"] == "published"


def test_editing_a_published_article_back_to_template_text_is_refused(client, make):
    author = make.user()
    article = make.article(author, body=_filled_case_study())
    response = client.patch(f"/api/v1/articles/{article.slug}", headers=bearer(make.token(author)),
                            json={"body": _with("Contact", "Team name and a way to reach you."), "base_revision": 1})
    assert response.status_code == 422 and "“Contact”" in response.json["error"]["fields"]["body"]


def test_the_templates_endpoint_gives_the_forms_starting_text(client):
    for kind, body in (("case_study", CASE_STUDY), ("playbook", PLAYBOOK)):
        response = client.get(f"/api/v1/templates/{kind}")
        assert response.status_code == 200 and response.json == {"kind": kind, "body": body}
    assert client.get("/api/v1/templates/essay").status_code == 404


# The pages --------------------------------------------------------------------------------------

def _form(**fields):
    return {"title": "Answering residents within a day", "kind": "case_study", "summary": "How we cut reply times.",
            "body": _filled_case_study(), "tags": "customer service", "evidence_level": "", "stage": "",
            "edit_policy": "agency", "review_by": "", "base_revision": "", "change_note": "", **fields}


def test_publishing_the_template_from_the_form_shows_an_error_summary_naming_each_section(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(body=CASE_STUDY, publish="1"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    for name in CASE_SECTIONS:
        assert f"“{name}”" in summary
    assert summary.count('href="#body"') == len(CASE_SECTIONS)
    assert "Context" in page and "## Challenge" in page  # the text is kept to carry on
    assert client.get("/api/v1/articles").json["total"] == 0


def test_saving_the_template_as_a_draft_is_fine(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data=_form(body=CASE_STUDY, save="1"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your draft is saved" in page


def test_check_your_answers_comes_before_first_publication_and_says_what_followers_are_told(client, make, auth):
    author = make.user()
    follower = make.user()
    auth.login(follower)
    assert client.post(f"/follow/agency/{author.agency.slug}").status_code == 302
    auth.logout()
    auth.login(author)
    response = client.post("/articles/new", data=_form(publish="1"))
    check = response.headers["Location"]
    assert check.endswith("/publish")
    page = client.get(check).get_data(as_text=True)
    assert "Check your answers before publishing" in page and "customer service" in page
    assert "New from what you follow: “Answering residents within a day”" in page
    assert "1 person follows" in page
    assert client.get("/api/v1/articles").json["total"] == 0  # not published until confirmed
    response = client.post(check)
    assert response.status_code == 302
    assert "is published" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/api/v1/articles").json["total"] == 1


def test_the_check_page_names_unfilled_sections_and_refuses_to_publish(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft", body=_with("Lessons learned", "- "))
    auth.login(author)
    page = client.get(f"/articles/{draft.slug}/publish").get_data(as_text=True)
    assert "There is a problem" in page and "“Lessons learned”" in page
    response = client.post(f"/articles/{draft.slug}/publish")
    assert response.status_code == 422 and "“Lessons learned”" in response.get_data(as_text=True)
    assert client.get(f"/articles/{draft.slug}").status_code == 200  # still a draft at its address


def test_outsiders_cannot_see_the_check_page_of_a_draft(client, make, auth):
    draft = make.article(make.user(), status="draft")
    auth.login(make.user())
    assert client.get(f"/articles/{draft.slug}/publish").status_code == 404
