"""An article as a PDF for a briefing note, and the print view it is made from."""
import io

import pytest
from pypdf import PdfReader

from exchange.articles import pdf

BODY = """## Context

Residents waited weeks for replies.

## What we did

A shared inbox with a [public tracker](https://example.org/tracker).

## Results

| before | after |
| --- | --- |
| 21 days | 4 days |

## Lessons learned

Start small.
"""
HEADINGS = ("Context", "What we did", "Results", "Lessons learned")


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


needs_weasyprint = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint's system libraries are missing")


@needs_weasyprint
def test_pdf_opens_with_the_title_and_every_section_heading(client, make):
    article = make.article(title="Reply desk for residents", body=BODY)
    response = client.get(f"/articles/{article.slug}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = _text(response)
    assert "Reply desk for residents" in text
    for heading in HEADINGS:
        assert heading in text, heading
    assert "21 days" in text and "https://example.org/tracker" in text  # tables intact, links written out
    assert "Sign in" not in text and "Search" not in text  # no navigation


@needs_weasyprint
def test_pdf_of_a_draft_is_404_for_outsiders_and_made_for_its_agency(client, make, auth):
    author = make.user()
    draft = make.article(author, title="Unpublished reply desk", body=BODY, status="draft")
    assert client.get(f"/articles/{draft.slug}.pdf").status_code == 404
    auth.login(make.user(agency=make.agency("elsewhere")))
    assert client.get(f"/articles/{draft.slug}.pdf").status_code == 404
    auth.logout()
    auth.login(author)
    response = client.get(f"/articles/{draft.slug}.pdf")
    assert response.status_code == 200 and "Unpublished reply desk" in _text(response)


def test_missing_article_pdf_is_404(client):
    assert client.get("/articles/no-such-practice.pdf").status_code == 404


def test_without_weasyprint_the_pdf_address_points_to_the_print_view(client, make, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: False)
    article = make.article(title="Reply desk for residents", body=BODY)
    response = client.get(f"/articles/{article.slug}.pdf")
    assert response.status_code == 501
    page = response.get_data(as_text=True)
    assert "PDF not available" in page and f'href="/articles/{article.slug}/print"' in page
    shown = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f"/articles/{article.slug}/print" in shown and ".pdf" not in shown


def test_article_page_offers_the_print_view_and_the_pdf(client, make, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)
    article = make.article(title="Reply desk for residents", body=BODY)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Print or save as PDF" in page
    assert f'href="/articles/{article.slug}/print"' in page and f'href="/articles/{article.slug}.pdf"' in page


def test_print_view_shows_the_article_and_how_to_print(client, make):
    article = make.article(title="Reply desk for residents", body=BODY)
    response = client.get(f"/articles/{article.slug}/print")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Reply desk for residents" in page and "This is the print view" in page
    for heading in HEADINGS:
        assert heading in page


def test_print_view_of_a_draft_is_404_for_visitors(client, make):
    draft = make.article(title="Unpublished reply desk", body=BODY, status="draft")
    assert client.get(f"/articles/{draft.slug}/print").status_code == 404


def test_pdfs_are_rate_limited_per_address(new_app, monkeypatch):
    from tests.conftest import Factory

    monkeypatch.setattr(pdf, "available", lambda: False)  # the limit applies whether or not PDFs are made
    app = new_app(PDF_RATE_LIMIT="2 per minute")
    article = Factory(app).article(title="Reply desk for residents")
    client = app.test_client()
    assert [client.get(f"/articles/{article.slug}.pdf").status_code for _ in range(3)] == [501, 501, 429]
