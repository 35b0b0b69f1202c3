"""What gunicorn.conf.py lets through to the app: long searches reach it, and it caps them itself."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from exchange.search.query import MAX_CHARS
from tests.gunicorn_server import gunicorn

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(database, tmp_path):
    env = {**os.environ, "EXCHANGE_DATABASE_URL": database, "EXCHANGE_SECRET_KEY": "test-secret",
           "EXCHANGE_SEARCH_INDEX": str(tmp_path / "index"), "GUNICORN_WORKERS": "1"}
    # The search page answers 503 without an index: build the (empty) one a fresh instance has.
    subprocess.run([sys.executable, "-m", "exchange.cli", "search", "reindex"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
    with gunicorn(command, ROOT, env, tmp_path / "gunicorn.log") as base:
        yield base


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def test_a_long_search_reaches_the_app_and_is_shortened(server):
    query = " ".join(["participation"] * 500)  # about 7,000 bytes of request line
    status, kind, body = _get(f"{server}/api/v1/search?" + urllib.parse.urlencode({"q": query}))
    assert status == 200, body[:300]
    found = json.loads(body)
    assert found["shortened"] is True
    assert len(found["query"]) <= MAX_CHARS


def test_a_long_search_page_is_a_page(server):
    query = "open data " * 700
    status, kind, body = _get(f"{server}/search?" + urllib.parse.urlencode({"q": query}))
    assert status == 200 and kind == "text/html"
    assert b"<main" in body
