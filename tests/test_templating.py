"""Template helpers."""
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
