"""The methods of texts and bytes that can work long in C, bounded before they start.

Each factory takes the text and the method's name and returns what code
calls. Those that can amplify their input (`center`, `replace`, `join`,
`expandtabs`, `translate`) check the size of their result first; those that
search (`find`, `count`, `split`, `partition`, ...), strip given characters
or translate check their work. A split makes at most as many pieces as one
operation may: Python is asked for one more, and a text that still had
more to split is refused. What comes back is charged with its pieces.
"""

from objweb.sandbox.budget import cost_of, fresh_cost
from objweb.sandbox.costs import (
    ITEM, SEARCH_CHAR, SPLIT_PIECE, STRIP_PAIRS, TRANSLATE_CHAR)
from objweb.sandbox.iteration import collect
from objweb.sandbox.run import current_run

# The characters str.splitlines() breaks at (bytes break at \n and \r only).
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _budget():
    return current_run().budget


def charged_text(result, *, pieces: bool = False):
    """Return `result` once it is known to be a bearable text, and charge it.

    With `pieces`, the texts `result` holds were made with it (a split's)
    and are charged too.
    """
    budget = _budget()
    if isinstance(result, (str, bytes)):
        budget.check_text(len(result))
    budget.charge(fresh_cost(result) if pieces else cost_of(result))
    return result


def _check_search(budget, value) -> None:
    budget.check_cost(SEARCH_CHAR * len(value), f"to search a text of {len(value)} characters")


def searching(value, name: str):
    """A method that searches the text (`find`, `count`, `partition`, ...): linear work."""
    method = getattr(value, name)

    def call(*args, **kwargs):
        _check_search(_budget(), value)
        return charged_text(method(*args, **kwargs), pieces=True)
    return call


def splitting(value, name: str):
    """`split` and `rsplit`: at most as many pieces as one operation may make."""
    method = getattr(value, name)

    def call(sep=None, maxsplit=-1):
        budget = _budget()
        _check_search(budget, value)
        allowed = budget.limits.max_operation_cost // SPLIT_PIECE
        if not isinstance(maxsplit, int) or 0 <= maxsplit <= allowed:
            return charged_text(method(sep, maxsplit), pieces=True)
        pieces = method(sep, allowed)
        rest = pieces[-1] if name == "split" else pieces[0]
        if len(pieces) > allowed and len(getattr(rest, name)(sep, 1)) > 1:
            budget.check_cost((allowed + 1) * SPLIT_PIECE,
                              f"to split a text into more than {allowed} pieces")
        return charged_text(pieces, pieces=True)
    return call


def splitting_lines(value, name: str):
    """`splitlines`: its pieces counted from the line breaks first."""
    def call(keepends=False):
        breaks = _LINE_BREAKS if isinstance(value, str) else (b"\n", b"\r")
        pieces = sum(value.count(mark) for mark in breaks) + 1
        _budget().check_cost(pieces * SPLIT_PIECE + ITEM * len(value) // 8,
                             f"to split a text into {pieces} lines")
        return charged_text(value.splitlines(keepends), pieces=True)
    return call


def stripping(value, name: str):
    """`strip`, `lstrip` and `rstrip`: given characters, each is looked for at every step."""
    method = getattr(value, name)

    def call(chars=None):
        if isinstance(chars, (str, bytes)):
            _budget().check_cost(len(value) * len(chars) // STRIP_PAIRS + len(value),
                                 f"to strip {len(chars)} characters from a text")
        return charged_text(method(chars))
    return call


def padding(value, name: str):
    """`center`, `ljust`, `rjust` and `zfill`: the width is checked first."""
    method = getattr(value, name)

    def call(width, *args):
        if isinstance(width, int):
            _budget().check_text(width)
        return charged_text(method(width, *args))
    return call


def expandtabs(value, name: str):
    """`expandtabs`: the text it makes is measured first."""
    def call(tabsize=8):
        if isinstance(tabsize, int):
            tab = "\t" if isinstance(value, str) else b"\t"
            _budget().check_text(len(value) + value.count(tab) * max(tabsize, 0))
        return charged_text(value.expandtabs(tabsize))
    return call


def replace(value, name: str):
    """`replace`: the text it makes is measured first."""
    def call(old, new, count=-1):
        budget = _budget()
        _check_search(budget, value)
        if isinstance(old, type(value)) and isinstance(new, type(value)):
            times = len(value) + 1 if not old else value.count(old)
            if count >= 0:
                times = min(times, count)
            budget.check_text(len(value) + times * max(len(new) - len(old), 0))
        return charged_text(value.replace(old, new, count))
    return call


def join(value, name: str):
    """`join`: its parts are drawn through the guard and the text measured first."""
    def call(iterable):
        parts = collect(iterable, "the parts of a text")
        size = len(value) * max(len(parts) - 1, 0)
        size += sum(len(part) for part in parts if isinstance(part, (str, bytes)))
        _budget().check_text(size)
        return charged_text(value.join(parts))
    return call


def translate(value, name: str):
    """`translate`: each character is looked up in the table; the text it makes is measured."""
    def call(table):
        budget = _budget()
        budget.check_cost(TRANSLATE_CHAR * len(value),
                          f"to translate a text of {len(value)} characters")
        if isinstance(table, dict):
            longest = max((len(item) for item in table.values() if isinstance(item, str)),
                          default=1)
            budget.check_text(len(value) * max(longest, 1))
        return charged_text(value.translate(table))
    return call


def to_bytes(value, name: str):
    """`int.to_bytes`: the length is checked first."""
    def call(length=1, byteorder="big", *, signed=False):
        if isinstance(length, int):
            _budget().check_text(length)
        result = value.to_bytes(length, byteorder, signed=signed)
        _budget().charge(cost_of(result))
        return result
    return call


TEXT_METHODS = {
    **dict.fromkeys("""count endswith find index partition removeprefix removesuffix rfind
                       rindex rpartition startswith""".split(), searching),
    "split": splitting, "rsplit": splitting, "splitlines": splitting_lines,
    "strip": stripping, "lstrip": stripping, "rstrip": stripping,
    "center": padding, "ljust": padding, "rjust": padding, "zfill": padding,
    "expandtabs": expandtabs, "replace": replace, "join": join, "translate": translate,
}
