"""Our own pages keep to their Content-Security-Policy: no violation, no page error, on every page type and role."""
import pytest

from tests.e2e.conftest import csp_violations
from tests.e2e.pages import ADMIN, MEMBER, OTHER, VISITOR, for_role, person_for

pytestmark = pytest.mark.e2e


def script_policy(header: str) -> list[str]:
    """The sources the policy allows scripts from (script-src, else default-src)."""
    directives = {}
    for directive in header.split(";"):
        if directive.strip():
            name, *values = directive.split()
            directives[name.lower()] = values
    return directives.get("script-src", directives.get("default-src", []))


@pytest.mark.parametrize("role", [VISITOR, MEMBER, OTHER, ADMIN])
def test_no_page_type_violates_the_content_security_policy(role, contexts, catalogue, world):
    person = person_for(world, role)
    context = contexts(person.email if person else None)
    page = context.new_page()
    problems = []
    for page_type in for_role(catalogue, role):
        response = page.goto(page_type.path)
        page.wait_for_load_state("load")
        scripts = script_policy(response.headers.get("content-security-policy", ""))
        if not scripts or {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
            problems.append(f"{page_type.path}: the policy does not forbid inline script: {scripts}")
        problems += [f"{page_type.path}: {v}" for v in csp_violations(page)]
    recorder = context.recorder
    problems += [f"console: {line}" for line in recorder.console if "Content Security Policy" in line]
    problems += [f"page error: {error}" for error in recorder.errors]
    assert not problems, f"as {role}:\n" + "\n".join(problems)
