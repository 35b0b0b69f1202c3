"""Template helpers, and the rules every template keeps."""
import re
from pathlib import Path

import pytest
from flask import request, url_for

from exchange.urls import url_with


@pytest.mark.parametrize("query", ["q=open+data&tag=a,b&page=3", "q=caf%C3%A9+%26+co&agency=x", "",
                                   "q=a/b?c'd(e)*", "q=%3Cscript%3E&stage=pilot"])
@pytest.mark.parametrize("changes", [{"tag": "c,d"}, {"agency": None}, {"kind": "playbook", "page": 2}])
def test_url_with_builds_what_url_for_builds(app, query, changes):
    with app.test_request_context("/search?" + query):
        args = request.args.to_dict()
        for key, value in changes.items():
            args.pop(key, None) if value is None else args.__setitem__(key, value)
        if "page" not in changes:
            args.pop("page", None)
        assert url_with(**changes) == url_for("search.results", **args)


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Flask's, Jinja's and Flask-WTF's globals, and the two address helpers: none reads the database.
# A page's data comes from its route (exchange.templating.page_parts), never from a global.
ALLOWED_GLOBALS = {"config", "csrf_meta_tag", "csrf_token", "cycler", "dict", "g", "get_flashed_messages", "joiner",
                   "lipsum", "namespace", "page_url", "range", "request", "session", "url_for", "url_with"}


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_includes_plainly_and_links_with_url_for(template):
    source = template.read_text()
    assert "ignore missing" not in source  # a renamed partial must fail loudly, not disappear
    hard_coded = (re.findall(r"""(?:href|action|src)=["']/[^"']*""", source)
                  + re.findall(r"""value=["']/[^"']*""", source))
    assert hard_coded == []


def test_no_template_global_queries_the_database(app):
    assert set(app.jinja_env.globals) == ALLOWED_GLOBALS
