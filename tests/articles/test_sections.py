"""The guided form's parse/join: fields from a body and the same body back from the fields."""
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.articles import sections
from exchange.articles.starters import CASE_STUDY, PLAYBOOK

HEADINGS = sections.case_study_headings()

# A field's text as someone writes it: lines of words, list items, tables, ### subheadings, code.
_line = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
    .map(str.strip).filter(lambda line: line and not line.startswith(("#", "`", "~", "-", "*", "+"))),
    st.sampled_from(["- a point", "1. first", "| a | b |", "### More", "**bold** and _em_", "- [ ] a task",
                     "```\n## Inside a fence\n```", "## An extra section"]),
)
_text = st.lists(st.one_of(_line, st.just("")), max_size=8).map(lambda lines: sections._trim("\n".join(lines)))
# Before the first section there is no section for an extra one to join: that body is not template-shaped.
_intro = _text.filter(lambda text: "## An extra section" not in text)



def test_the_templates_parse_into_their_fields():
    case = sections.parse("case_study", CASE_STUDY)
    assert list(case.sections) == HEADINGS
    assert case.sections["Context"] == "Who you are, where, and the situation before you started."
    book = sections.parse("playbook", PLAYBOOK)
    assert [play.title for play in book.plays] == ["Name the first play", "Name the next play"]
    assert book.plays[0].checklist == "- [ ] A task to do\n- [ ] Another task"
    assert book.plays[0].questions == "- A question the team should be able to answer"
    assert book.intro == "A sentence or two on what this playbook helps a team do."


def test_join_writes_the_template_layout():
    fields = sections.CaseStudy(sections={heading: f"About {heading}." for heading in HEADINGS})
    body = sections.join(fields)
    assert body.startswith("## Context\n\nAbout Context.\n\n## Challenge\n\nAbout Challenge.\n\n")
    assert body.endswith("## Contact\n\nAbout Contact.\n")


@settings(max_examples=150, deadline=None)
@given(intro=_intro, texts=st.lists(_text, min_size=len(HEADINGS), max_size=len(HEADINGS)))
def test_join_of_parse_is_the_body_for_template_shaped_case_studies(intro, texts):
    body = sections.join(sections.CaseStudy(intro=intro, sections=dict(zip(HEADINGS, texts, strict=True))))
    parsed = sections.parse("case_study", body)
    assert parsed is not None
    assert sections.join(parsed) == body


@settings(max_examples=150, deadline=None)
@given(intro=_intro, plays=st.lists(st.tuples(_line, _text, st.lists(st.sampled_from(
    ["- [ ] do this", "- [x] done that"]), max_size=3), _text), min_size=1, max_size=4))
def test_join_of_parse_is_the_body_for_playbooks(intro, plays):
    made = [sections.Play(title=title, why=why if not why.startswith(("-", "*", "+")) else "",
                          checklist="\n".join(tasks), questions=questions.replace(sections.KEY_QUESTIONS, ""))
            for title, why, tasks, questions in plays]
    body = sections.join(sections.Playbook(intro=intro, plays=made))
    parsed = sections.parse("playbook", body)
    if parsed is None:  # a text that reads as something else (a task in the why) falls back: never a loss
        return
    assert sections.join(parsed) == body


def test_an_extra_section_stays_inside_the_field_it_follows():
    body = CASE_STUDY.replace("## Challenge\n", "## Budget\n\nWe spent £40,000.\n\n## Challenge\n")
    parsed = sections.parse("case_study", body)
    assert "## Budget\n\nWe spent £40,000." in parsed.sections["Context"]
    assert sections.join(parsed) == body


def test_a_template_heading_written_twice_stays_in_the_field_it_follows():
    body = CASE_STUDY + "\n## Contact\n\nTwice.\n"
    assert sections.parse("case_study", body).sections["Contact"].endswith("## Contact\n\nTwice.")


def test_text_before_the_first_section_is_the_introduction():
    body = "In short: it worked.\n\n" + CASE_STUDY
    parsed = sections.parse("case_study", body)
    assert parsed.intro == "In short: it worked."
    assert sections.join(parsed) == body


def test_a_body_that_does_not_match_the_template_is_one_markdown_box():
    assert sections.parse("case_study", "Just some text.\n") is None
    assert sections.parse("case_study", CASE_STUDY.replace("## Context", "## Setting")) is None
    reordered = CASE_STUDY.replace("## Context", "## Tmp").replace("## Challenge", "## Context")
    assert sections.parse("case_study", reordered.replace("## Tmp", "## Challenge")) is None
    assert sections.parse("playbook", "## Not a play\n\nText.\n") is None


def test_a_heading_inside_a_code_fence_is_text():
    body = CASE_STUDY.replace("Team name and a way to reach you.", "```\n## Context\n```")
    parsed = sections.parse("case_study", body)
    assert parsed.sections["Contact"] == "```\n## Context\n```"


def test_a_body_whose_spacing_the_form_would_change_is_one_markdown_box():
    assert sections.parse("case_study", CASE_STUDY.replace("## Challenge\n\n", "## Challenge\n\n\n\n")) is None


def test_plays_are_numbered_in_their_order_and_plain_lines_become_tasks():
    body = sections.join(sections.Playbook(plays=[
        sections.Play(title="Second idea", why="Because.", checklist="Call them"),
        sections.Play(title="First idea", why="Why not.", questions="- Who?"),
    ]))
    assert "## Play 1: Second idea\n\nBecause.\n\n- [ ] Call them\n\n## Play 2: First idea" in body
    assert body.endswith("## Play 2: First idea\n\nWhy not.\n\n### Key questions\n\n- Who?\n")


def test_a_stored_body_without_its_final_newline_still_parses():
    assert sections.join(sections.parse("case_study", CASE_STUDY.rstrip("\n"))) == CASE_STUDY
