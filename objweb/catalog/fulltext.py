"""Full-text hits and their Okapi BM25 scores, read from zope.index's text indexes.

The query is never handed to zope.index's query parser (its operators,
globs and recursion are not for visitors): every term is looked up in the
lexicon and scored with the index's own BM25 code, rarest term first, and
each later term scores only the documents the earlier ones left, so a word
found on every page costs what the rare word beside it leaves. A document
holds a term when its public text does, or its guarded text does and the
viewer may read that (`guard`).
"""

from BTrees import family64
from zope.index.text import widcode
from zope.index.text.baseindex import inverse_doc_frequency
from zope.index.text.okascore import score

from objweb.catalog.store import Catalog
from objweb.catalog.text import TextQuery

IF = family64.IF
MAX_PREFIX_WORDS = 200


def text_hits(catalog: Catalog, query: TextQuery, *, names: tuple = ("text",),
              guard=None, restrict=None):
    """Return the documents holding every term of `query`, with their scores (an LFBucket).

    `names` are the text indexes searched; with `guard` (a function from a
    set of docids to those the viewer may read there) the guarded text is
    searched too. `restrict` (a set) limits the documents scored. Raises
    `ValueError` naming `text` for a word beginning that too many words share.
    """
    sources = [(catalog.indexes[name].index, None) for name in names]
    if guard is not None:
        sources.append((catalog.indexes["guarded_text"].index, guard))
    lexicon = catalog.lexicon
    terms = [("word", (lexicon.get_wid(word),)) for word in query.words]
    terms += [("prefix", _prefix_wids(lexicon, prefix)) for prefix in query.prefixes]
    terms += [("phrase", tuple(lexicon.get_wid(word) for word in phrase))
              for phrase in query.phrases]
    terms.sort(key=lambda term: _postings(sources, term[1]))
    found = None
    for kind, wids in terms:
        candidates = restrict if found is None else IF.Set(found.keys())
        scored = _term_scores(sources, kind, wids, candidates)
        found = scored if found is None else IF.weightedIntersection(found, scored)[1]
        if not found:
            return IF.Bucket()
    return found


def _prefix_wids(lexicon, prefix: str) -> tuple:
    wids = []
    for word in lexicon._wids.keys(prefix, prefix + "\U0010ffff"):
        if len(wids) == MAX_PREFIX_WORDS:
            raise ValueError(f"text: more than {MAX_PREFIX_WORDS} words begin with {prefix!r}; "
                             f"give more of the word")
        wids.append(lexicon._wids[word])
    return tuple(wids)


def _postings(sources, wids) -> int:
    """Return about how many documents hold the rarest of `wids` (for the order of terms)."""
    sizes = [len(okapi._wordinfo.get(wid, ())) for okapi, _guard in sources for wid in wids]
    return min(sizes) if sizes else 0


def _term_scores(sources, kind: str, wids: tuple, candidates):
    """Return the scores of one term in every source, guarded ones filtered, summed."""
    total = IF.Bucket()
    for okapi, guard in sources:
        if kind == "phrase":
            scored = _phrase_scores(okapi, wids, candidates)
        else:
            scored = _union([_word_scores(okapi, wid, candidates) for wid in wids])
        if guard is not None and scored:
            scored = IF.weightedIntersection(scored, guard(IF.Set(scored.keys())), 1, 0)[1]
        total = IF.weightedUnion(total, scored)[1] if total else scored
    return total


def _union(buckets: list):
    total = IF.Bucket()
    for bucket in buckets:
        total = IF.weightedUnion(total, bucket)[1] if total else bucket
    return total


def _word_scores(okapi, wid: int, candidates):
    """Return BM25 scores of the documents (among `candidates`) holding the word `wid`."""
    postings = okapi._wordinfo.get(wid) if wid else None
    result = IF.Bucket()
    if not postings:
        return result
    count = float(okapi.documentCount())
    idf = inverse_doc_frequency(len(postings), count)
    mean_length = okapi._totaldoclen() / count
    if isinstance(postings, dict):
        postings = IF.Bucket(postings)
    if candidates is not None:
        # A rare word's few documents are looked up in the candidates; a merge reads them all.
        postings = IF.weightedIntersection(postings, candidates, 1, 0)[1] \
            if len(postings) * 16 > len(candidates) \
            else IF.Bucket([(docid, freq) for docid, freq in postings.items()
                            if docid in candidates])
    score(result, list(postings.items()), okapi._docweight, idf, mean_length)
    return result


def _phrase_scores(okapi, wids: tuple, candidates):
    """Return the scores of documents holding all of `wids`, in that order, together."""
    if not all(wids):
        return IF.Bucket()
    found = None
    for wid in wids:
        scored = _word_scores(okapi, wid, candidates if found is None else IF.Set(found.keys()))
        found = scored if found is None else IF.weightedIntersection(found, scored)[1]
        if not found:
            return IF.Bucket()
    code = widcode.encode(list(wids))
    words = okapi._docwords
    return IF.Bucket({docid: value for docid, value in found.items()
                      if _holds_code(words[docid], code)})


def _holds_code(encoded: str, code: str) -> bool:
    """Return whether `encoded` holds `code` as whole words (not the start of a longer last one)."""
    start = encoded.find(code)
    while start >= 0:
        end = start + len(code)
        # A word's first character has the high bit set; a continuation's has not.
        if end == len(encoded) or ord(encoded[end]) & 0x80:
            return True
        start = encoded.find(code, start + 1)
    return False
