"""Tests for exchange.markdown: features, heading ids, wiki links, comments and XSS resistance."""

import re
import threading
from html.parser import HTMLParser

import pytest

from exchange.markdown import comment_links, render, render_comment

# --------------------------------------------------------------------------- helpers

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "svg", "math", "base", "meta", "link"}
ALLOWED_ATTRS = {"href", "src", "alt", "title", "rel", "class", "id", "loading", "type", "disabled", "checked", "start",
                 "aria-label"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class TagCollector(HTMLParser):
    """Collect (tag, attrs) for every start tag, entities in attribute values decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags_of(markup):
    parser = TagCollector()
    parser.feed(markup)
    parser.close()
    return parser.tags


def url_is_safe(value):
    # Mirror what a browser does before reading the scheme: trim, drop controls
    # and whitespace anywhere, treat backslashes as slashes.
    cleaned = "".join(ch for ch in (value or "").strip() if ord(ch) > 0x20 and ord(ch) != 0x7F)
    cleaned = cleaned.replace("\\", "/")
    m = _SCHEME.match(cleaned)
    if m:
        return m.group(1).lower() in SAFE_SCHEMES
    return not cleaned.startswith("//")


def assert_safe_html(markup):
    assert "<script" not in markup.lower()
    for tag, attrs in tags_of(markup):
        assert tag not in FORBIDDEN_TAGS, (tag, markup)
        attr_map = dict(attrs)
        if tag == "input":
            assert attr_map.get("type") == "checkbox" and "disabled" in attr_map, markup
        for name, value in attrs:
            assert not name.startswith("on"), (name, markup)
            assert name != "style", markup
            assert name in ALLOWED_ATTRS, (name, markup)
            if name in ("href", "src"):
                assert url_is_safe(value), (value, markup)


def assert_comment_safe(markup):
    assert_safe_html(markup)
    for tag, _ in tags_of(markup):
        assert tag not in {"h1", "h2", "h3", "h4", "h5", "h6", "img", "table", "input"}, (tag, markup)


# --------------------------------------------------------------------------- features

def test_table_renders_header_and_body_cells():
    out = render("| Agency | Year |\n|---|---|\n| Parks | 2021 |\n").html
    assert "<table>" in out
    assert "<th>Agency</th>" in out and "<td>Parks</td>" in out and "<td>2021</td>" in out


def test_table_alignment_uses_class_not_style_attribute():
    out = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n").html
    assert 'class="align-left"' in out and 'class="align-center"' in out and 'class="align-right"' in out
    assert "style" not in out


def test_strikethrough_renders_del():
    assert "<del>gone</del>" in render("this is ~~gone~~ now").html


def test_footnotes_render_reference_and_note_section():
    out = render("Budget rose.[^cost]\n\n[^cost]: See the annual report.\n").html
    assert '<sup class="footnote-ref" id="fnref-1"><a href="#fn-1">1</a></sup>' in out
    assert '<section class="footnotes">' in out
    assert '<li id="fn-1"><p>See the annual report.' in out
    assert 'href="#fnref-1"' in out


def test_repeated_footnote_reference_gets_distinct_id():
    out = render("a[^1] b[^1]\n\n[^1]: note\n").html
    ids = [dict(a).get("id") for t, a in tags_of(out) if t == "sup"]
    assert ids == ["fnref-1", "fnref-1-2"]


def test_task_list_items_render_disabled_checkboxes():
    out = render("- [ ] draft survey\n- [x] hire analyst\n").html
    assert '<input type="checkbox" disabled aria-label="To do"> draft survey' in out
    assert '<input type="checkbox" disabled checked aria-label="Done"> hire analyst' in out
    inputs = [dict(a) for t, a in tags_of(out) if t == "input"]
    assert len(inputs) == 2 and all("disabled" in a for a in inputs)
    assert "checked" not in inputs[0] and "checked" in inputs[1]


def test_bare_url_is_autolinked_with_nofollow():
    out = render("Read https://data.example.gov/report now").html
    link = '<a href="https://data.example.gov/report" rel="nofollow noopener">https://data.example.gov/report</a>'
    assert link in out


def test_fenced_code_gets_language_class():
    out = render("```python\nprint('<hi>')\n```\n").html
    assert "<pre><code class=\"language-python\">print('&lt;hi&gt;')\n</code></pre>" in out


def test_fenced_code_language_allows_plus_minus_underscore():
    assert 'class="language-c++"' in render("```c++\nint x;\n```\n").html
    assert 'class="language-objective_c-2"' in render("```objective_c-2\nx\n```\n").html


def test_fenced_code_with_unusual_info_string_gets_no_class():
    out = render('```"onclick=x\ncode\n```\n').html
    assert "<pre><code>code" in out
    assert "class=" not in out


def test_fenced_code_without_info_gets_no_class():
    assert "<pre><code>plain\n</code></pre>" in render("```\nplain\n```\n").html


def test_heading_id_folds_accents_and_lowercases():
    r = render("# Café Économie Überblick")
    assert r.toc[0].id == "cafe-economie-uberblick"
    assert '<h1 id="cafe-economie-uberblick">' in r.html


def test_heading_id_collapses_punctuation_into_single_hyphens():
    r = render("## --Q&A: What's *new*?? (2024)--")
    assert r.toc[0].id == "q-a-what-s-new-2024"


def test_long_heading_id_is_capped_at_80_characters():
    r = render("# " + "word " * 40)  # 200 characters
    anchor = r.toc[0].id
    assert len(anchor) <= 80
    assert anchor.startswith("word-word") and not anchor.endswith("-")
    assert re.fullmatch(r"[a-z0-9-]+", anchor)


def test_duplicate_headings_get_numbered_suffixes():
    r = render("# Results\n\n## Results\n\n### Results\n")
    assert [e.id for e in r.toc] == ["results", "results-2", "results-3"]


def test_duplicate_long_headings_stay_within_80_characters_and_unique():
    long = "x" * 200
    r = render(f"# {long}\n\n# {long}\n")
    ids = [e.id for e in r.toc]
    assert len(set(ids)) == 2 and all(len(i) <= 80 for i in ids)
    assert ids[1].endswith("-2")


def test_heading_suffix_does_not_collide_with_existing_heading():
    r = render("# A 2\n\n# A\n\n# A\n")
    assert [e.id for e in r.toc] == ["a-2", "a", "a-3"]


def test_emoji_only_heading_gets_section_fallback():
    r = render("# 🎉🚀\n\n# !!!\n")
    assert [e.id for e in r.toc] == ["section", "section-2"]


def test_every_heading_level_gets_an_id():
    src = "\n\n".join("#" * n + f" Level {n}" for n in range(1, 7))
    r = render(src + "\n\nSetext\n------\n")
    for n in range(1, 7):
        assert f'<h{n} id="level-{n}">Level {n}</h{n}>' in r.html
    assert '<h2 id="setext">Setext</h2>' in r.html
    assert [e.level for e in r.toc] == [1, 2, 3, 4, 5, 6, 2]


def test_toc_entries_have_level_id_and_plain_title_in_order():
    r = render("# Intro *to* `code`\n\ntext\n\n## [Methods](http://x.example)\n\n### Results &amp; notes\n")
    assert [(e.level, e.id, e.title) for e in r.toc] == [
        (1, "intro-to-code", "Intro to code"),
        (2, "methods", "Methods"),
        (3, "results-notes", "Results & notes"),
    ]


def test_heading_ids_do_not_collide_with_footnote_anchors():
    r = render("# fn 1\n\nx[^1]\n\n[^1]: note\n")
    assert r.toc[0].id == "fn-1-2"


def test_wikilink_to_existing_article():
    r = render("See [[Open Data Policy]].", resolve=lambda t: "open-data-policy" if t == "Open Data Policy" else None)
    assert '<a class="wikilink" href="/articles/open-data-policy">Open Data Policy</a>' in r.html


def test_wikilink_to_missing_article_links_to_create_page():
    r = render("See [[Budget Playbook]].", resolve=lambda t: None)
    assert (
        '<a class="wikilink wikilink-missing" href="/articles/new?title=Budget%20Playbook" rel="nofollow">'
        "Budget Playbook</a>" in r.html
    )


def test_wikilink_with_custom_text():
    r = render("Read [[Open Data Policy|the policy]].", resolve=lambda t: "odp")
    assert '<a class="wikilink" href="/articles/odp">the policy</a>' in r.html


def test_wikilink_without_resolver_is_treated_as_missing():
    out = render("[[Anything]]").html
    assert "wikilink-missing" in out and "/articles/new?title=Anything" in out


def test_wikilink_slug_and_title_are_url_quoted():
    r = render("[[A/B & C?]]", resolve=lambda t: "a/b?c=1")
    assert 'href="/articles/a%2Fb%3Fc%3D1"' in r.html
    r = render("[[A/B & C?]]")
    assert 'href="/articles/new?title=A%2FB%20%26%20C%3F"' in r.html


def test_wikilink_in_code_span_and_code_block_is_not_linked():
    r = render("Use `[[Not A Link]]` here.\n\n```\n[[Also Not]]\n```\n\n    [[Indented Not]]\n")
    assert "wikilink" not in r.html
    assert "<code>[[Not A Link]]</code>" in r.html
    assert r.links == []


def test_wikilink_target_too_long_or_with_brackets_stays_text():
    long = "a" * 201
    r = render(f"[[{long}]] and [[a[b]] and [[two\nlines]]")
    assert "wikilink" not in r.html
    assert r.links == []
    assert f"[[{long}]]" in r.html
    assert render("[[" + "a" * 200 + "]]").links == ["a" * 200]


def test_wikilink_inside_link_text_does_not_nest_anchors():
    out = render("[see [[Foo]]](https://example.org)").html
    assert out.count("<a ") == 1
    assert ">see Foo</a>" in out


def test_links_list_collects_targets_in_order_without_duplicates():
    r = render("[[ Beta ]] then [[Alpha|a]] and [[Beta|again]]\n\n- [[Gamma]]\n", resolve=lambda t: None)
    assert r.links == ["Beta", "Alpha", "Gamma"]


def test_resolver_called_once_per_distinct_target():
    calls = []
    render("[[X]] [[X]] [[Y]]", resolve=lambda t: calls.append(t))
    assert calls == ["X", "Y"]


def test_external_link_gets_rel_and_relative_link_does_not():
    out = render("[ext](https://example.org/a) [mail](mailto:a@example.org) [rel](/articles/x) [frag](#top)").html
    assert '<a href="https://example.org/a" rel="nofollow noopener">ext</a>' in out
    assert '<a href="mailto:a@example.org" rel="nofollow noopener">mail</a>' in out
    assert '<a href="/articles/x">rel</a>' in out
    assert '<a href="#top">frag</a>' in out


@pytest.mark.parametrize("url", ["./doc", "../up", "?page=2", "plain/path", "page.html"])
def test_relative_link_forms_are_allowed(url):
    assert f'<a href="{url}">x</a>' in render(f"[x]({url})").html


def test_unsafe_link_is_rendered_as_inert_span():
    out = render("[**click** me](javascript:alert(1))").html
    assert '<span class="unsafe-link"><strong>click</strong> me</span>' in out
    assert "<a" not in out


def test_protocol_relative_link_is_inert():
    out = render("[x](//evil.example/path)").html
    assert '<span class="unsafe-link">x</span>' in out


def test_image_renders_with_lazy_loading_and_escaped_alt():
    out = render('![Chart & "data"](/static/chart.png "Q1")').html
    assert '<img src="/static/chart.png" alt="Chart &amp; &quot;data&quot;" title="Q1" loading="lazy">' in out


def test_unsafe_image_renders_alt_text_only():
    out = render("![<b>alt</b> text](javascript:alert(1)) ![m](mailto:a@b.example)").html
    assert "<img" not in out
    assert "alt text" in out and "m" in out


def test_link_title_is_escaped():
    out = render('[a](http://x.example "say \\"hi\\" <b>")').html
    assert 'title="say &quot;hi&quot; &lt;b&gt;"' in out


def test_raw_html_block_and_inline_is_escaped_text():
    out = render("<div class=x>block</div>\n\ninline <b>bold</b> text").html
    assert "&lt;div class=x&gt;block&lt;/div&gt;" in out
    assert "inline &lt;b&gt;bold&lt;/b&gt; text" in out
    assert [t for t, _ in tags_of(out)] == ["p", "p"]


def test_entities_are_decoded_once_and_reescaped():
    out = render("AT&amp;T &copy; &lt;tag&gt;").html
    assert "<p>AT&amp;T © &lt;tag&gt;</p>" in out


def test_plain_text_strips_markup_and_collapses_whitespace():
    src = (
        "# Title\n\nSome *emphasis*   and [link text](http://x.example).\n\n"
        "| h1 | h2 |\n|---|---|\n| cell1 | cell2 |\n\n```\ncode line\n```\n\n"
        "<b>raw</b> [[Wiki|shown]]\n"
    )
    text = render(src).text
    assert text == "Title Some emphasis and link text. h1 · h2; cell1 · cell2; code line raw shown"
    assert "<" not in text and "  " not in text


def test_empty_input_renders_empty():
    r = render("")
    assert r.html == "" and r.text == "" and r.toc == [] and r.links == []
    assert render_comment("") == ""


def test_render_keeps_no_state_between_calls():
    first = render("# Same\n\n[[Page]]")
    second = render("# Same\n\n[[Other]]")
    assert second.toc[0].id == "same"
    assert second.links == ["Other"]
    assert first.links == ["Page"]


def test_render_is_thread_safe():
    docs = [f"# Head {i}\n\n# Head {i}\n\n[[Page {i}]] and [x](http://e.example/{i})\n" * 20 for i in range(8)]
    expected = [render(d) for d in docs]
    errors = []

    def worker(i):
        for _ in range(20):
            if render(docs[i]) != expected[i]:
                errors.append(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# --------------------------------------------------------------------------- hostile inputs

HOSTILE = [
    # raw HTML tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/x.js></SCRIPT>",
    "<<script>alert(1);//<</script>",
    "<img src=x onerror=alert(1)>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="http://evil.example/movie.swf">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<a href="javascript:alert(1)">raw anchor</a>',
    '<a href="&#x6A;avascript:alert(1)">raw entity anchor</a>',
    '<math><mtext><a href="javascript:alert(1)">m</a></mtext></math>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "text <b onmouseover=alert(1)>inline</b> html",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # markdown links with hostile schemes
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](<java\nscript:alert(1)>)",
    "[click](java\x00script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](&#0000106avascript:alert(1))",
    "[click](&#x6A&#x61;vascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](java&#10;script:alert(1))",
    "[click](java&#0;script:alert(1))",
    "[click](&#x20;javascript:alert(1))",
    "<java&#9;script:alert(1)>",
    "[click](javascript&colon;alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click](javascript://%0aalert(1))",
    "[click](\u200bjavascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](file:///etc/passwd)",
    "[click](//evil.example/x)",
    "[click](/\\evil.example/x)",
    "[click](\\\\evil.example/x)",
    "[click]( javascript:alert(1) )",
    '[click](javascript:alert(1) "title")',
    # reference-style links and autolinks
    "[a][1]\n\n[1]: javascript:alert(1)",
    '[a]\n\n[a]: <javascript:alert(1)> "t"',
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    '<http://x.example/"onmouseover="alert(1)>',
    'http://evil.example/"onmouseover="alert(1)',
    # images
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](vbscript:msgbox(1))",
    "![x](//evil.example/i.png)",
    '![" onerror="alert(1)](http://x.example/i.png)',
    '![x](http://x.example/i.png "\\" onerror=\\"alert(1)")',
    # attribute breaking via titles
    '[a](http://x.example "\\"onmouseover=\\"alert(1)")',
    "[a](http://x.example 'x\" onmouseover=\"alert(1)')",
    '[a](http://x.example (x" onmouseover="alert(1)))',
    # wiki links
    '[[Foo" onmouseover="alert(1)]]',
    "[[<script>alert(1)</script>]]",
    "[[Page|<img src=x onerror=alert(1)>]]",
    '[[Page|" onclick="alert(1)]]',
    "[[javascript:alert(1)]]",
    "[[//evil.example]]",
    # headings, tables, footnotes, code, lists, quotes
    "# Heading <script>alert(1)</script>",
    "## <img src=x onerror=alert(1)>",
    'Title <a href="javascript:alert(1)">x</a>\n=====',
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "| [x](javascript:alert(1)) |\n|---|\n| ok |",
    "x[^1]\n\n[^1]: <iframe src=javascript:alert(1)></iframe> [y](javascript:alert(1))",
    "`<script>alert(1)</script>`",
    '```"><script>alert(1)</script>\ncode\n```',
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    '- [x] <input type="text" autofocus onfocus=alert(1)>',
    "> <script>alert(1)</script>\n> [q](javascript:alert(1))",
    "*<script>alert(1)</script>*",
    "[<script>alert(1)</script>](http://x.example)",
    # nested brackets and mixed constructs
    "[[a](javascript:alert(1))](http://x.example)",
    "[![img](javascript:alert(1))](javascript:alert(2))",
    "[a](http://ok.example)[b](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](mailto:a@b.example?body=<script>alert(1)</script>)",
]


def hostile_resolve(target):
    # Even a resolver returning garbage must not open an injection point.
    return '"><script>alert(1)</script>//evil'


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_safe_article(source):
    assert_safe_html(render(source).html)
    assert_safe_html(render(source, resolve=hostile_resolve).html)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_safe_comment(source):
    assert_comment_safe(render_comment(source))


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_plain_text_has_no_markup_tags(source):
    assert_safe_html(render(source).text)


def test_hostile_list_is_large_enough():
    assert len(HOSTILE) >= 45


def test_hostile_links_are_inert_not_dropped():
    out = render("[click](JaVaScRiPt:alert(1)) and ![pic](javascript:alert(1))").html
    assert '<span class="unsafe-link">click</span>' in out
    assert "pic" in out and "<img" not in out


def test_percent_encoded_scheme_is_inert():
    out = render("[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))").html
    assert '<span class="unsafe-link">click</span>' in out


# --------------------------------------------------------------------------- comments

def test_comment_renders_paragraphs_emphasis_code_and_lists():
    out = render_comment("Hello *there* and **you**, see `x = 1`.\n\n- one\n- two\n\n```\nblock <code>\n```\n")
    assert "<em>there</em>" in out and "<strong>you</strong>" in out and "<code>x = 1</code>" in out
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in out
    assert "<pre><code>block &lt;code&gt;\n</code></pre>" in out


def test_comment_headings_render_as_plain_paragraph_text():
    out = render_comment("# Big title\n\nSetext\n======\n\n### small")
    assert not re.search(r"<h[1-6]", out)
    assert "<p># Big title</p>" in out and "<p>### small</p>" in out
    assert "Setext" in out


def test_comment_images_render_alt_text_only():
    out = render_comment("Look ![a chart](https://example.org/c.png)")
    assert "<img" not in out
    assert "<p>Look a chart</p>" in out


def test_comment_tables_are_not_rendered():
    out = render_comment("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<table" not in out and "<td" not in out
    assert "| a | b |" in out


def test_comment_raw_html_is_escaped():
    out = render_comment("<div>hi</div>\n\nand <b>bold</b>")
    assert "&lt;div&gt;hi&lt;/div&gt;" in out and "&lt;b&gt;bold&lt;/b&gt;" in out


def test_comment_external_links_are_ugc_nofollow():
    out = render_comment("[docs](https://example.org) and https://bare.example/x and [home](/articles/x)")
    assert '<a href="https://example.org" rel="nofollow noopener ugc">docs</a>' in out
    assert '<a href="https://bare.example/x" rel="nofollow noopener ugc">https://bare.example/x</a>' in out
    assert '<a href="/articles/x">home</a>' in out


def test_comment_unsafe_link_is_inert():
    out = render_comment("[x](javascript:alert(1))")
    assert '<span class="unsafe-link">x</span>' in out


def test_comment_wikilink_syntax_stays_text():
    out = render_comment("[[Some Page]]")
    assert "wikilink" not in out and "[[Some Page]]" in out


def test_comment_links_counts_explicit_and_bare_links():
    src = "[a](https://one.example) then https://two.example/p and <https://three.example> or <x@mail.example>"
    assert comment_links(src) == [
        "https://one.example",
        "https://two.example/p",
        "https://three.example",
        "mailto:x@mail.example",
    ]


def test_comment_links_includes_reference_and_unsafe_links():
    src = "[ref][1] and [bad](javascript:alert(1))\n\n[1]: https://ref.example"
    assert comment_links(src) == ["https://ref.example", "javascript:alert(1)"]


def test_comment_links_ignores_code_and_images():
    src = "`https://code.example` ![pic](https://img.example/a.png)\n\n    https://indented.example\n"
    assert comment_links(src) == []


def test_comment_links_empty_for_plain_text():
    assert comment_links("no links here, just example.org text") == []
