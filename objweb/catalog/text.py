"""Words for full-text search: markup out, Unicode folded, split alike for documents and queries.

A word is a run of letters, digits and combining marks, folded with NFKC
and case folding (Unicode's NFKC_Casefold, near enough): `ＬＯ` finds
`lo`, `Straße` finds `strasse`, `ﬁle` finds `file`, and `हिन्दी` stays one
word. Accents stay (`café` is not `cafe`) and there are no stop words:
sites are not all English. Words longer than 64 characters (encoded data,
hostile input) are not words.

A query is words that must all appear, a word ending in `*` (three
characters at least before it) that some word must begin with, and
"quoted phrases" whose words must appear in that order. Nothing in it is
a pattern or an operator: `.*[a-z]+$` asks for the words `a` and `z`.
"""

import functools
import html
import re
import sys
import unicodedata
from dataclasses import dataclass

MAX_WORD = 64
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 16
MIN_PREFIX = 3
MAX_PHRASE_WORDS = 8

_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^<>]*>", re.I | re.S)


def fold(text: str) -> str:
    """Return `text` in NFKC, case folded: the form every word is compared in."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def without_markup(source: str) -> str:
    """Return the text of HTML `source`: tags, scripts, styles and comments out, entities read."""
    return html.unescape(_MARKUP.sub(" ", source))


@functools.cache
def _word_pattern() -> re.Pattern:
    # \w leaves out combining marks: "हिन्दी" and a folded "İ" (i + U+0307)
    # would split inside a word. Made once, on first use: the table takes a
    # moment to build.
    ranges, first, last = [], None, None
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if first is not None and code == last + 1:
            last = code
            continue
        if first is not None:
            ranges.append((first, last))
        first = last = code
    ranges.append((first, last))
    marks = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return re.compile(rf"[^\W_][\w{marks}]*")


def words_of(text: str) -> list[str]:
    """Return the words of plain `text`, folded, in order."""
    return [word for word in _word_pattern().findall(fold(text)) if len(word) <= MAX_WORD]


class FoldingSplitter:
    """The one element of the text index's lexicon pipeline (zope.index's protocol)."""

    def process(self, texts: list[str]) -> list[str]:
        """Return the words of `texts`, folded, in order."""
        return [word for text in texts for word in words_of(text)]

    def processGlob(self, texts: list[str]) -> list[str]:  # noqa: N802 (zope.index's name)
        """Return the words of `texts`: objweb builds no glob through the lexicon."""
        return self.process(texts)


@dataclass(frozen=True)
class TextQuery:
    """What a `text` query asks: words, word beginnings and phrases, all of them."""

    words: tuple = ()
    prefixes: tuple = ()
    phrases: tuple = ()

    def matches(self, *texts: list[str]) -> bool:
        """Return whether a document whose texts have these `texts` (word lists) holds every term.

        A term may be held by any of the texts; a phrase within one of them.
        """
        present = set().union(*texts)
        if not present.issuperset(self.words):
            return False
        for prefix in self.prefixes:
            if not any(word.startswith(prefix) for word in present):
                return False
        return all(any(_holds_run(words, phrase) for words in texts) for phrase in self.phrases)


def _holds_run(words: list[str], phrase: tuple) -> bool:
    size = len(phrase)
    return any(tuple(words[start:start + size]) == phrase
               for start in range(len(words) - size + 1) if words[start] == phrase[0])


def parse_text(text: object) -> TextQuery:
    """Return the terms of a `text` query.

    Raises `ValueError` naming `text` for a query that is not text, is
    longer than 1,000 characters, has no word, more than 16 terms, a `*`
    after fewer than three characters, or a phrase of more than 8 words.
    """
    if not isinstance(text, str):
        raise ValueError("text: a full-text query is a string")
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(f"text: at most {MAX_QUERY_LENGTH} characters")
    words, prefixes, phrases = [], [], []
    for number, part in enumerate(text.split('"')):
        if number % 2:
            _add_phrase(words_of(part), words, phrases)
            continue
        for token in part.split():
            _add_token(token, words, prefixes)
    terms = len(set(words)) + len(set(prefixes)) + len(set(phrases))
    if not terms:
        raise ValueError("text: no word to search for")
    if terms > MAX_TERMS:
        raise ValueError(f"text: at most {MAX_TERMS} words, word beginnings and phrases")
    return TextQuery(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(prefixes)),
                     tuple(dict.fromkeys(phrases)))


def _add_phrase(found: list[str], words: list, phrases: list) -> None:
    if len(found) > MAX_PHRASE_WORDS:
        raise ValueError(f"text: a phrase has at most {MAX_PHRASE_WORDS} words")
    if len(found) == 1:
        words.append(found[0])
    elif found:
        phrases.append(tuple(found))


def _add_token(token: str, words: list, prefixes: list) -> None:
    if token.endswith("*"):
        stem = words_of(token.rstrip("*"))
        if len(stem) == 1 and fold(token.rstrip("*")).endswith(stem[0]):
            if len(stem[0]) < MIN_PREFIX:
                raise ValueError(f"text: a word ending in * needs {MIN_PREFIX} letters "
                                 f"before it ({token!r})")
            prefixes.append(stem[0])
            return
    words.extend(words_of(token))
