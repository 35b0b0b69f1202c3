"""Our own pages keep to their Content-Security-Policy: no violation, no page error, on every page type and role."""
import pytest

from tests.e2e.conftest import csp_violations
from tests.e2e.pages import ADMIN, MEMBER, OTHER, VISITOR, for_role, person_for

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("role", [VISITOR, MEMBER, OTHER, ADMIN])
def test_no_page_type_violates_the_content_security_policy(role, contexts, catalogue, world):
    person = person_for(world, role)
    context = contexts(person.email if person else None)
    page = context.new_page()
    problems = []
    for page_type in for_role(catalogue, role):
        response = page.goto(page_type.path)
        page.wait_for_load_state("load")
        policy = response.headers.get("content-security-policy", "")
        if "script-src" not in policy and "default-src 'self'" not in policy:
            problems.append(f"{page_type.path}: no policy for scripts: {policy!r}")
        if "unsafe-inline" in policy.split("style-src")[0] or "unsafe-eval" in policy:
            problems.append(f"{page_type.path}: the policy allows inline script: {policy!r}")
        problems += [f"{page_type.path}: {v}" for v in csp_violations(page)]
    recorder = context.recorder
    problems += [f"console: {line}" for line in recorder.console if "Content Security Policy" in line]
    problems += [f"page error: {error}" for error in recorder.errors]
    assert not problems, f"as {role}:\n" + "\n".join(problems)
