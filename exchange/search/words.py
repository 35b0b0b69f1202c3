"""What a word becomes in search, the same for every backend: stop words, Snowball stems, the cap.

People type questions ("how did other councils reduce missed bin collections"): the words that
carry no meaning ("how", "did", "other") are dropped from queries, and every remaining word is
reduced to its Snowball English stem ("collections" and "collecting" are both "collect"), in the
index and in queries alike. PyStemmer is the Snowball project's own C implementation.
"""
import functools

import Stemmer

MAX_WORDS = 64  # content words in one query; beyond that the query is shortened and says so

# The usual English stop list (the Snowball and Lucene lists merged) plus the words of questions
# and requests that say nothing about what is wanted ("what", "tell me about", "papers on").
# Words that carry a subject in public work stay searchable: "information", "use", "need", "means".
STOP_WORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's
her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it
it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought
our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such
than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up very was wasn't we we'd we'll we're we've
were weren't what what's when when's where where's which while who who's whom why why's with won't
would wouldn't you you'd you'll you're you've your yours yourself yourselves
also am among amongst anyone anything anyway anywhere around away became become becomes else
elsewhere enough etc even ever every everyone everything everywhere however indeed just many may
might much must neither never nevertheless nobody none nothing now nowhere often perhaps please
rather really since somehow someone something sometime sometimes somewhere still therefore thus
together toward towards upon us whatever whenever whereas wherever whether whither whoever whole
whose within without yet
s t d ll m o re ve y
able across already although always another anybody besides either get gets getting give given
gives go goes going got like make makes making seem seemed seems shall want wants way ways will
ask asked asking describe described discuss discussed discussing find found interested know known
look looking paper papers please regarding tell thing things wish
""".split())

_stemmer = Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word."""
    return _stemmer.stemWord(word)


def is_stop(word: str) -> bool:
    """Whether a lower-case word says nothing about what is wanted."""
    return word in STOP_WORDS
