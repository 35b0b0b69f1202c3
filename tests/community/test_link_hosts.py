"""Blocked link hosts are compared after normalising both sides (IDNA, Unicode dots, percent-encoding, case)."""
import pytest

from exchange.community.rules import blocked_domain, link_host


@pytest.mark.parametrize("url", [
    "https://bit.ly\u3002/abc", "https://bit.ly\uff0e/abc", "https://bit.ly\uff61/abc", "https://bit\u3002ly/abc",
    "https://bit%2Ely/abc", "https://bit%2ely./abc", "https://bit.ly%2E/abc", "https://bit.ly%E3%80%82/abc",
    "https://BIT\uff0eLY\u3002/abc", "https://\uff42\uff49\uff54.ly/abc", "https://go.bit.ly\u3002\u3002/abc",
])
def test_disguised_blocked_hosts_are_refused(client, make, community, url):
    article = make.article()
    user = community.established(make.user(), article)
    response = community.post(make.token(user), article, f"The evaluation report is here: [report]({url})")
    assert response.status_code == 422, link_host(url)
    assert "not allowed" in response.json["error"]["message"]


@pytest.mark.parametrize("entry", ["BIT.LY", "bit.ly.", "bit\u3002ly", "*.bit.ly", " bit.ly "])
def test_block_list_entries_are_normalised_too(entry):
    assert blocked_domain(link_host("https://bit.ly/x"), [entry])


def test_an_internationalised_blocked_domain_matches_its_punycode():
    assert blocked_domain(link_host("https://xn--bcher-kva.example/x"), ["b\u00fccher.example"])
    assert blocked_domain(link_host("https://b\u00fccher.example\u3002/x"), ["xn--bcher-kva.example"])
