"""One voice (#20 item 8): errors written one way ("Enter a summary"), "Error: " in the title of a refused
form, titles that agree with their H1, one date format, error summaries alike."""
import re

import pytest

from exchange.errors import Invalid
from exchange.text import clean_text


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def _h1(page: str) -> str:
    [h1] = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return re.sub(r"<[^>]+>", "", h1).strip()


def _summary(page: str) -> str:
    start = page.index('class="error-summary"')
    return page[start:page.index("</div>", start)]


def test_a_missing_field_reads_enter_a_summary_in_the_service():
    with pytest.raises(Invalid) as refused:
        clean_text("  ", "summary", min_len=1)
    assert refused.value.message == "Enter a summary."


def test_an_empty_article_form_says_enter_a_title_and_enter_a_summary_once_each(client, make, auth):
    auth.login(make.user())
    response = client.post("/articles/new", data={"kind": "case_study", "edit_policy": "agency", "title": "",
                                                  "summary": "", "body": "## Context\n\nText."})
    assert response.status_code == 422
    page = response.data.decode()
    summary = _summary(page)
    assert "Enter a title." in summary and "Enter a summary." in summary
    assert "is required" not in page and "Summary: " not in summary and "Title: " not in summary
    assert _title(page).startswith("Error: ")


def test_a_refused_form_elsewhere_is_titled_error_too(client, make):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert _title(response.data.decode()).startswith("Error: ")
    assert not _title(client.get("/login").data.decode()).startswith("Error")


def test_a_page_without_errors_has_no_error_prefix(client):
    assert _title(client.get("/case-studies").data.decode()) == "Case studies · The Exchange"


def test_titles_agree_with_their_h1(client, make, auth):
    author = make.user()
    article = make.article(author=author, title="Chatbots for council tax")
    auth.login(author)
    for path in ("/case-studies", "/tags", "/agencies", f"/articles/{article.slug}",
                 f"/articles/{article.slug}/edit", f"/articles/{article.slug}/history", "/articles/new",
                 "/search?q=chatbots", "/search/help", "/notifications", "/profile",
                 f"/articles/{article.slug}/flag", "/profile/notifications", "/admin/people"):
        response = client.get(path)
        if response.status_code == 403:
            continue
        page = response.data.decode()
        assert _title(page).split(" · ")[0] == _h1(page), path


def test_dates_show_one_way_everywhere(client, make, auth):
    admin = make.admin()
    auth.login(admin)
    person = make.user()
    client.post(f"/admin/people/{person.id}/role", data={"role": "admin"})
    page = client.get("/admin/audit").data.decode()
    assert not re.search(r">\d{4}-\d{2}-\d{2}", page)  # no ISO dates shown, only in datetime=
    assert re.search(r">\d{1,2} [A-Z][a-z]+ \d{4}", page)


def test_every_date_is_entered_one_way_as_text_with_its_format_shown(client, make, auth):
    """A browser's date picker reads and shows dates in its own locale's order; every date field here is
    text with the format (2026-12-31) in its hint, as the adoption date and the review date are."""
    author = make.user()
    auth.login(make.admin())
    article = make.article(author)
    pages = ["/admin/featured", "/articles/new", f"/articles/{article.slug}/edit", f"/articles/{article.slug}"]
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert 'type="date"' not in page, f"{path} asks for a date through the browser's picker"
    assert "e.g. 2026-12-31" in client.get("/admin/featured").get_data(as_text=True)
