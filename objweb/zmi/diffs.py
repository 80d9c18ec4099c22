"""Differences between two texts as rows a screen renders, unified or side by side.

`difflib` finds the changes; the rows are plain records with the text of
each line, so the page template escapes every character of a source as it
escapes any value. Sources too long to compare quickly are not compared.
"""

import difflib
from dataclasses import dataclass

# Lines of either text beyond which no difference is worked out here:
# `SequenceMatcher` takes time that grows faster than the lines do.
MAX_LINES = 20000
CONTEXT = 3


class TooLongToCompareError(ValueError):
    """A text has more lines than the screens compare."""


@dataclass(frozen=True)
class UnifiedLine:
    """One line of a unified difference: `kind` is same, removed, added or hunk."""

    kind: str
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a side-by-side difference: `kind` is same, changed, removed or added."""

    kind: str
    old_number: int | None
    old_text: str
    new_number: int | None
    new_text: str


def _lines(old: str, new: str) -> tuple[list[str], list[str]]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if max(len(old_lines), len(new_lines)) > MAX_LINES:
        raise TooLongToCompareError(f"these sources have more than {MAX_LINES} lines; "
                                    "compare them with the JSON API and a tool of your own")
    return old_lines, new_lines


def _groups(old_lines: list[str], new_lines: list[str]):
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return matcher.get_grouped_opcodes(CONTEXT)


def unified(old: str, new: str) -> list[UnifiedLine]:
    """Return the unified difference from `old` to `new`, with three lines of context.

    Raises `TooLongToCompareError` for texts of more than `MAX_LINES` lines.
    """
    old_lines, new_lines = _lines(old, new)
    rows = []
    for group in _groups(old_lines, new_lines):
        first, last = group[0], group[-1]
        rows.append(UnifiedLine("hunk", f"@@ -{first[1] + 1},{last[2] - first[1]} "
                                        f"+{first[3] + 1},{last[4] - first[3]} @@"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [UnifiedLine("same", old_lines[i], i + 1, j1 + i - i1 + 1)
                         for i in range(i1, i2)]
                continue
            rows += [UnifiedLine("removed", old_lines[i], i + 1, None) for i in range(i1, i2)]
            rows += [UnifiedLine("added", new_lines[j], None, j + 1) for j in range(j1, j2)]
    return rows


def side_by_side(old: str, new: str) -> list[SideBySideRow]:
    """Return the side-by-side difference from `old` to `new`, with three lines of context.

    Raises `TooLongToCompareError` for texts of more than `MAX_LINES` lines.
    """
    old_lines, new_lines = _lines(old, new)
    rows = []
    for group in _groups(old_lines, new_lines):
        if rows:
            rows.append(SideBySideRow("gap", None, "", None, ""))
        for tag, i1, i2, j1, j2 in group:
            for offset in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + offset, j1 + offset
                left = (i + 1, old_lines[i]) if i < i2 else (None, "")
                right = (j + 1, new_lines[j]) if j < j2 else (None, "")
                kind = {"equal": "same", "delete": "removed", "insert": "added"}.get(
                    tag, "changed")
                if kind == "changed" and left[0] is None:
                    kind = "added"
                elif kind == "changed" and right[0] is None:
                    kind = "removed"
                rows.append(SideBySideRow(kind, left[0], left[1], right[0], right[1]))
    return rows
