"""The package as a deployment gets it: a wheel, installed into a fresh virtualenv whose site-packages
nobody may write, run from a directory of its own (``pytest -m wheel``; CI's wheel stage).

As root the commands run as ``nobody``, since root writes through any file mode.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.gunicorn_server import gunicorn

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def installed():
    """A virtualenv with the wheel installed and its site-packages read-only; yields (venv, work dir)."""
    work = Path(tempfile.mkdtemp(prefix="exchange-wheel-"))
    work.chmod(0o755)
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", ROOT],
                       check=True, timeout=300)
        subprocess.run([_interpreter(), "-m", "venv", work / "venv"], check=True, timeout=120)
        wheel = next((work / "dist").glob("exchange-*.whl"))
        subprocess.run([work / "venv" / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", ROOT / "constraints.txt", wheel], check=True, timeout=600)
        site_packages = next((work / "venv" / "lib").glob("python3*/site-packages"))
        subprocess.run(["chmod", "-R", "a-w", site_packages], check=True)
        before = _files(site_packages)
        yield work / "venv", work, site_packages
        assert _files(site_packages) == before, "something wrote into site-packages"
    finally:
        subprocess.run(["chmod", "-R", "u+w", work], check=False)
        shutil.rmtree(work, ignore_errors=True)


def _as_deployer() -> dict:
    return {"user": "nobody", "group": "nogroup", "extra_groups": []} if os.geteuid() == 0 else {}


def _interpreter() -> str:
    """A Python 3.11 the deploying user may run (a pyenv build under /root is not one for nobody)."""
    for candidate in (sys._base_executable, "/usr/bin/python3.11", "/usr/local/bin/python3.11"):
        try:
            if subprocess.run([candidate, "-c", "pass"], capture_output=True, **_as_deployer()).returncode == 0:
                return candidate
        except OSError:  # missing, or not for this user
            continue
    pytest.fail("no Python 3.11 that the user 'nobody' may run")


def _files(directory: Path) -> set:
    return {(str(p), p.stat().st_mtime_ns) for p in directory.rglob("*")}


@pytest.fixture(scope="module")
def site(installed):
    """A fresh directory elsewhere, with the database made and the starter library loaded."""
    venv, work, _ = installed
    site = work / "site"
    site.mkdir()
    site.chmod(0o777)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXCHANGE_", "GUNICORN_", "FLASK_"))}
    env.update(HOME=str(site), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}")
    for command in (["db", "upgrade"], ["content", "load"], ["search", "reindex"]):
        done = subprocess.run([venv / "bin" / "exchange", *command], cwd=site, env=env, capture_output=True,
                              text=True, timeout=300, **_as_deployer())
        assert done.returncode == 0, f"exchange {' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return site, env


def test_the_wheel_ships_templates_starter_content_migrations_and_static_files(installed):
    _, _, site_packages = installed
    package = site_packages / "exchange"
    assert (package / "templates" / "site" / "home.html").is_file()
    assert list((package / "starter" / "case-studies").glob("*.md"))
    assert (package / "starter" / "agencies.yml").is_file()
    assert list((package / "migrations" / "versions").glob("*.py"))
    assert (package / "static" / "css" / "exchange.css").is_file()
    assert (package / "search" / "synonyms.txt").is_file()


def test_the_instance_folder_is_in_the_working_directory_not_site_packages(installed, site):
    _, _, site_packages = installed
    directory, _ = site
    assert (directory / "instance" / "secret_key").is_file()
    assert (directory / "instance" / "exchange.db").is_file()
    assert not list(site_packages.glob("**/instance"))


def test_gunicorn_serves_pages_and_search_from_another_directory(installed, site):
    venv, work, _ = installed
    directory, env = site
    command = [venv / "bin" / "gunicorn", "--workers", "1", "exchange:create_app()"]
    with gunicorn(command, directory, env, work / "gunicorn.log", **_as_deployer()) as base:
        with urllib.request.urlopen(base + "/", timeout=20) as response:
            assert response.status == 200 and "<main" in response.read().decode()
        query = urllib.parse.urlencode({"q": "land records transcription volunteers"})
        with urllib.request.urlopen(f"{base}/api/v1/search?{query}", timeout=20) as response:
            found = json.loads(response.read())
        assert "bellmont-land-records-transcription" in [r["slug"] for r in found["results"]]
