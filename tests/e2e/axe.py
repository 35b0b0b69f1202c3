"""axe-core (shipped by axe-playwright-python) run in the page: WCAG 2.2 AA violations, as readable lines."""
import re

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Violations whose fix lies in Python code outside the tests, each with where and how to fix it.
# They are left out of every check, and an entry that no longer matches anything fails
# ``test_known_violations_are_still_real``, so a fixed bug leaves this list.
KNOWN: dict = {}
seen_known: set = set()


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
            seen_known.add((known_rule, pattern))
            return True
    return False


def _summary(node: dict) -> str:
    lines = [line.strip() for line in node.get("failureSummary", "").splitlines() if line.strip()]
    return lines[1] if len(lines) > 1 else " ".join(lines)


def assert_accessible(page, where: str = "") -> None:
    """No WCAG 2.2 AA violation on the page as it is now."""
    found = axe_violations(page)
    assert not found, f"{where or page.url}:\n" + "\n".join(found)
