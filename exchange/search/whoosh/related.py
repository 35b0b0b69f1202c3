"""Related practices on Whoosh: an article's key terms, as one OR query scored over the arrays.

Whoosh's ``more_like`` picks a document's most telling words (the Bo1 model: frequent in the
article, rare in the index) and searches for them. Here the same key terms are taken from the
article's text (so a draft, which is not indexed, has related practices too), each weighted by
how telling it is, and the query is evaluated by ``vector`` like any search, blended with
endorsements the same way.
"""
from whoosh import query as q

from exchange.search.interface import SearchDocument
from exchange.search.whoosh.schema import MATCH_FIELD
from exchange.search.whoosh.vector import Unsupported

TOPIC_FIELD = "tag"
KEY_TERMS = 12  # Whoosh's more_like_this uses 5; more words find more practices with a few of them


def key_terms(searcher, document: SearchDocument) -> list[tuple[str, float]]:
    """The article's most telling indexed words, with weights from 1 (the most telling) down."""
    topics = " ".join(name for _, name in document.tags)
    text = "\n".join([document.title, document.title, document.summary, document.body, topics])
    return searcher.key_terms_from_text(MATCH_FIELD, text, numterms=KEY_TERMS)


def related(searcher, vectors, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
    """The indexed articles most like ``document`` (never itself): (article id, blended score), best first."""
    terms = key_terms(searcher, document)
    # Practices on the same topics are candidates too, scoring nothing for it: they fill the list
    # when few share the article's words (the service puts the same topic first).
    topics = [q.Term(TOPIC_FIELD, slug, boost=0.0) for slug, _ in document.tags]
    if not (terms or topics) or limit <= 0:
        return []
    query = q.Or([q.Term(MATCH_FIELD, term, boost=weight) for term, weight in terms] + topics)
    try:
        matched, scores = vectors.evaluate(query)
    except Unsupported:  # not expected for words: Whoosh's own search then
        found = searcher.search(query, limit=limit + 1)
        pairs = [(int(hit["id"]), hit.score) for hit in found]
        return [(article_id, score) for article_id, score in pairs if article_id != document.id][:limit]
    matched = matched & (vectors.ids != document.id) & (vectors.ids > 0)
    return [(int(vectors.ids[docnum]), score) for docnum, score in vectors.page(matched, scores, "relevance", limit)]
