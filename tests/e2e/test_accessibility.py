"""WCAG 2.2 AA in a real browser: axe-core on every page type, for every role, with zero violations."""
import re

import pytest

from tests.e2e.pages import ADMIN, MEMBER, OTHER, VISITOR, for_role, person_for

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Violations whose fix lies in Python code outside this suite, each with where and how to fix it.
# They are left out of the checks above, and an entry that no longer matches anything fails
# ``test_known_violations_are_still_real``, so a fixed bug leaves this list.
KNOWN = {
    ("label", r"\.task-list-item(:nth-child\(\d+\))? > input\[type=\"checkbox\"\]$"): (
        "exchange/markdown.py Renderer.task_list_item renders '<input type=\"checkbox\" disabled>' with no "
        "accessible name (WCAG 1.3.1/4.1.2); give it one, e.g. aria-label=\"Done\" when checked and "
        "aria-label=\"To do\" otherwise"
    ),
}
_seen_known: set = set()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one line per rule with the elements involved."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        nodes = [node for node in violation["nodes"] if not _known(violation["id"], node)]
        if nodes:
            where = "; ".join(" ".join(node["target"]) + f" [{_summary(node)}]" for node in nodes[:6])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {where}")
    return lines


def _known(rule: str, node: dict) -> bool:
    target = " ".join(node["target"])
    for known_rule, pattern in KNOWN:
        if rule == known_rule and re.search(pattern, target):
            _seen_known.add((known_rule, pattern))
            return True
    return False


def _summary(node: dict) -> str:
    lines = [line.strip() for line in node.get("failureSummary", "").splitlines() if line.strip()]
    return lines[1] if len(lines) > 1 else " ".join(lines)


def visit(page, page_type) -> list[str]:
    """Load the page; a wrong status is a problem of its own."""
    response = page.goto(page_type.path)
    if response.status != page_type.status:
        return [f"answered {response.status}, expected {page_type.status}"]
    return []


@pytest.mark.parametrize("role", [VISITOR, MEMBER, OTHER, ADMIN])
def test_every_page_type_has_no_wcag_violations(role, contexts, catalogue, world):
    person = person_for(world, role)
    page = contexts(person.email if person else None).new_page()
    problems = []
    for page_type in for_role(catalogue, role):
        found = visit(page, page_type) or axe_violations(page)
        problems += [f"{page_type.name} ({page_type.path}): {line}" for line in found]
    assert not problems, f"as {role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", [VISITOR, MEMBER])
def test_pages_have_no_wcag_violations_on_a_phone(role, contexts, catalogue, world):
    from tests.e2e.conftest import PHONE

    person = person_for(world, role)
    page = contexts(person.email if person else None, viewport=PHONE).new_page()
    problems = []
    for page_type in for_role(catalogue, role)[:12]:
        found = visit(page, page_type) or axe_violations(page)
        problems += [f"{page_type.name} ({page_type.path}): {line}" for line in found]
    assert not problems, f"as {role} on a phone:\n" + "\n".join(problems)


def test_known_violations_are_still_real(contexts, catalogue, world):
    """Each entry of KNOWN still shows up somewhere (when it does not, the bug is fixed: delete the entry)."""
    page = contexts().new_page()
    for page_type in for_role(catalogue, VISITOR):
        if not visit(page, page_type):
            axe_violations(page)
    gone = set(KNOWN) - _seen_known
    assert not gone, f"fixed, so remove from KNOWN: {sorted(gone)}"
