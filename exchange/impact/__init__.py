"""Impact: reach counted without tracking people, a dashboard per person, impact pages per agency and site.

Above curation and below mail in the layers: it reads articles, endorsements and the search log,
and owns only the daily view counts (``article_views``).
"""


def init_app(app) -> None:
    """Count views as requests finish; add the reach chart and the own-view rule to the article page."""
    from flask import request_finished

    from exchange.impact import counter, parts
    from exchange.pagecache import REPLAYED
    from exchange.templating import add_page_part

    request_finished.connect(counter.request_finished, app, weak=False)
    add_page_part(app, "article", parts.article_part)
    REPLAYED.add(counter.UNCOUNTED)  # a kept page of an own agency's reader is not counted either
