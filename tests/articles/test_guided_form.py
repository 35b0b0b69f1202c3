"""The guided form: a field per template section (or per play), saved as the same Markdown sections."""
import re

from exchange.articles import sections
from exchange.articles.starters import CASE_STUDY, PLAYBOOK

HEADINGS = sections.case_study_headings()


def _meta(**fields):
    data = {"title": "Answering residents within a day", "kind": "case_study", "summary": "How we cut reply times.",
            "tags": "", "evidence_level": "", "stage": "", "edit_policy": "agency", "review_by": "",
            "base_revision": "", "change_note": ""}
    data.update(fields)
    return data


def _case_study_fields(**texts):
    return {"editor": "guided", "guided_kind": "case_study",
            **{f"section-{n}": texts.get(heading, f"Our own words about {heading.lower()}.")
               for n, heading in enumerate(HEADINGS, 1)}}


def _body(client, app, slug):
    from exchange.articles.services import get_article
    from exchange.permissions import SYSTEM
    with app.app_context():
        return get_article(SYSTEM, slug).body


def _slug(response) -> str:
    return response.headers["Location"].split("/articles/")[1].split("/")[0]


def test_the_new_case_study_form_has_a_field_per_section_with_its_hint(client, make, auth):
    auth.login(make.user())
    page = client.get("/articles/new").data.decode()
    for n, heading in enumerate(HEADINGS, 1):
        assert f'<label for="section-{n}">{heading}</label>' in page
    assert sections.HINTS["Challenge"] in page
    assert 'name="body"' not in page  # one Markdown box only when asked for
    assert "Write in one Markdown box" in page


def test_a_guided_case_study_is_saved_as_the_templates_markdown_sections(client, make, auth, app):
    auth.login(make.user())
    response = client.post("/articles/new", data={**_meta(), **_case_study_fields(Results="- Replies: 40% to 85%")})
    assert response.status_code == 302
    body = _body(client, app, _slug(response))
    assert body.startswith("## Context\n\nOur own words about context.\n\n## Challenge\n\n")
    assert "## Results\n\n- Replies: 40% to 85%\n\n## Challenges and failures" in body
    assert sections.parse("case_study", body) is not None


def test_an_edit_shows_the_bodys_sections_in_their_fields_and_keeps_extra_ones(client, make, auth, app):
    author = make.user()
    body = sections.join(sections.CaseStudy(sections={h: f"About {h}." for h in HEADINGS}))
    body = body.replace("## Challenge\n", "## Budget\n\nWe spent £40,000.\n\n## Challenge\n")
    article = make.article(author=author, body=body)
    auth.login(author)
    page = client.get(f"/articles/{article.slug}/edit").data.decode()
    context = re.search(r'<textarea id="section-1"[^>]*>\n(.*?)</textarea>', page, re.S).group(1)
    assert context == "About Context.\n\n## Budget\n\nWe spent £40,000."
    fields = {f"section-{n}": (context if n == 1 else f"About {h}.") for n, h in enumerate(HEADINGS, 1)}
    response = client.post(f"/articles/{article.slug}/edit",
                           data={**_meta(title=article.title, summary=article.summary, base_revision="1"),
                                 "editor": "guided", "guided_kind": "case_study", **fields,
                                 "section-9": "About Contact, now with a phone number."})
    assert response.status_code == 302
    edited = body.replace("About Contact.", "About Contact, now with a phone number.")
    assert _body(client, app, article.slug) == edited.rstrip()


def test_a_body_not_shaped_like_the_template_opens_in_one_markdown_box(client, make, auth):
    author = make.user()
    article = make.article(author=author, body="Just a paragraph of our own.")
    auth.login(author)
    page = client.get(f"/articles/{article.slug}/edit").data.decode()
    assert 'name="body"' in page and 'id="section-1"' not in page
    response = client.post(f"/articles/{article.slug}/edit", data={
        **_meta(title=article.title, summary=article.summary, base_revision="1"), "editor": "markdown",
        "body": "Just a paragraph of our own.", "switch_editor": "guided"})
    page = response.data.decode()
    assert "stays in one Markdown box" in page and 'name="body"' in page


def test_switching_editors_keeps_the_text_and_saves_nothing(client, make, auth, app):
    author = make.user()
    auth.login(author)
    response = client.post("/articles/new", data={**_meta(), **_case_study_fields(Challenge="Slow replies."),
                                                  "switch_editor": "markdown"})
    page = response.data.decode()
    assert response.status_code == 200
    assert "## Challenge\n\nSlow replies." in page and 'name="body"' in page
    typed = CASE_STUDY.replace("The problem you set out to solve, and for whom.", "Slow replies.")
    response = client.post("/articles/new", data={**_meta(), "editor": "markdown", "switch_editor": "guided",
                                                  "body": typed})
    page = response.data.decode()
    assert re.search(r'<textarea id="section-2"[^>]*>\nSlow replies.</textarea>', page)
    from exchange.articles.models import Article
    from exchange.db import db
    with app.app_context():
        assert db.session.query(Article).count() == 0


def test_publishing_a_guided_form_names_the_unfilled_section_at_its_field(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data={
        **_meta(), **_case_study_fields(Challenge="The problem you set out to solve, and for whom."), "publish": "1"})
    page = response.data.decode()
    assert response.status_code == 422
    assert 'id="section-2-error"' in page and "“Challenge”" in page
    assert 'aria-invalid="true"' in page


def _plays_form(*plays, action=None, **more):
    data = {**_meta(kind="playbook", edit_policy="open"), "editor": "guided", "guided_kind": "playbook",
            "intro": "How to answer residents.", **more}
    for n, (title, why, tasks, questions) in enumerate(plays, 1):
        data.update({f"play-{n}-title": title, f"play-{n}-why": why, f"play-{n}-checklist": tasks,
                     f"play-{n}-questions": questions})
    if action:
        data["play_action"] = action
    return data


def test_plays_are_added_moved_and_removed_without_javascript(client, make, auth, app):
    auth.login(make.user())
    plays = [("Measure first", "You cannot improve what you do not know.", "Sample 500 messages", "- How fast now?"),
             ("One queue", "Messages get lost.", "- [ ] List every account", "")]
    page = client.post("/articles/new", data=_plays_form(*plays, action="add")).data.decode()
    assert 'id="play-3-title"' in page
    page = client.post("/articles/new", data=_plays_form(*plays, action="up-2")).data.decode()
    assert re.search(r'id="play-1-title" name="play-1-title" value="One queue"', page)
    page = client.post("/articles/new", data=_plays_form(*plays, action="remove-1")).data.decode()
    assert 'value="One queue"' in page and 'value="Measure first"' not in page and 'id="play-2-title"' not in page
    response = client.post("/articles/new", data=_plays_form(*plays))
    assert response.status_code == 302
    body = _body(client, app, _slug(response))
    assert body == ("How to answer residents.\n\n## Play 1: Measure first\n\nYou cannot improve what you do not know."
                    "\n\n- [ ] Sample 500 messages\n\n### Key questions\n\n- How fast now?\n\n"
                    "## Play 2: One queue\n\nMessages get lost.\n\n- [ ] List every account")


def test_the_new_playbook_form_shows_its_plays(client, make, auth):
    auth.login(make.user())
    page = client.get("/articles/new?kind=playbook").data.decode()
    assert 'value="Name the first play"' in page and 'value="Name the next play"' in page
    assert "Add a play" in page
    assert sections.parse("playbook", PLAYBOOK) is not None


def test_topic_suggestions_are_published_topics_with_counts_never_a_drafts(client, make, auth):
    author = make.user()
    make.article(tags=["open data"])
    make.article(tags=["open data", "transport"])
    make.article(author=author, status="draft", tags=["our secret merger"])
    make.article(status="draft", tags=["their secret plan"])
    auth.login(author)
    page = client.get("/articles/new").data.decode()
    assert 'list="topic-choices"' in page
    assert '<option value="open data">open data (2 published)</option>' in page
    assert '<option value="transport">transport (1 published)</option>' in page
    assert "secret" not in page
