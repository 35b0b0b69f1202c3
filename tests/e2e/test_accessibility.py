"""WCAG 2.2 AA in a real browser: axe-core on every page type, for every role, with zero violations."""
import pytest

from tests.e2e.axe import KNOWN, axe_violations, seen_known
from tests.e2e.conftest import PHONE, sideways_overflow
from tests.e2e.pages import ADMIN, MEMBER, OTHER, VISITOR, for_role, person_for

pytestmark = pytest.mark.e2e


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


@pytest.mark.parametrize("role", [VISITOR, MEMBER, ADMIN])
def test_pages_reflow_without_wcag_violations_on_a_phone(role, contexts, catalogue, world):
    person = person_for(world, role)
    page = contexts(person.email if person else None, viewport=PHONE).new_page()
    problems = []
    for page_type in for_role(catalogue, role):
        found = visit(page, page_type) or axe_violations(page)
        if spilled := sideways_overflow(page):
            found.append(f"wider than the window (WCAG 1.4.10 Reflow): {spilled}")
        problems += [f"{page_type.name} ({page_type.path}): {line}" for line in found]
    assert not problems, f"as {role} on a phone:\n" + "\n".join(problems)


def test_known_violations_are_still_real(contexts, catalogue, world):
    """Each entry of KNOWN still shows up somewhere (when it does not, the bug is fixed: delete the entry)."""
    page = contexts().new_page()
    for page_type in for_role(catalogue, VISITOR):
        if set(KNOWN) <= seen_known:
            break
        if not visit(page, page_type):
            axe_violations(page)
    gone = set(KNOWN) - seen_known
    assert not gone, f"fixed, so remove from KNOWN: {sorted(gone)}"
