"""What the Pages of the bench site's big folder hold, the same for objweb and Zope 5.

Standard library only: Zope 5's `zconsole run` imports it too (bench/zope5_site.py).
Page `item-N` has the title `Item N`, a body of 12 words drawn from 2,000 made-up
words plus one rare word that exactly `total / RARE_WORDS` Pages share (10 of the
100,000), and a modification time of its own: the Pages' times are a permutation
of 10-minute steps over about two years, so the newest is one Page, whatever the
clock's resolution (Zope's DateIndex keeps minutes).
"""

import random

START = 1_672_531_200  # 2023-01-01
STEP = 600  # seconds between two Pages' modification times
RARE_WORDS = 10_000
WORDS_PER_BODY = 12
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "pe", "dra", "gon", "el",
             "fu", "zo", "bi", "qua", "rem", "sol", "tin", "ux"]
# Both multipliers are primes that divide no power of ten: n → n·k mod 10^m is a
# permutation, so each rare word has the same number of Pages and each time one Page.
_RARE_STEP, _TIME_STEP = 7_919, 37_813


def _word(rank: int) -> str:
    out, rank = [], rank + 1
    while rank:
        rank, digit = divmod(rank, len(SYLLABLES))
        out.append(SYLLABLES[digit])
    return "".join(out)


WORDS = [_word(rank) for rank in range(2_000)]


def rare_word(number: int) -> str:
    """The rare word of Page `number`, which `total / RARE_WORDS` Pages hold."""
    return f"rare{(number * _RARE_STEP) % RARE_WORDS:04d}"


def body(number: int) -> str:
    """The HTML body of Page `number`."""
    words = random.Random(number).choices(WORDS, k=WORDS_PER_BODY)
    return "<p>" + " ".join([*words, rare_word(number)]) + "</p>"


def modified(number: int, total: int) -> float:
    """The modification time of Page `number` of `total`, seconds since the epoch."""
    return float(START + ((number * _TIME_STEP) % total) * STEP)


def holders(word: str, total: int) -> list[int]:
    """The numbers of the Pages whose body holds the rare `word`, in order."""
    return [number for number in range(total) if rare_word(number) == word]


def newest(total: int, count: int = 1) -> list[int]:
    """The numbers of the `count` most recently modified Pages, newest first."""
    return sorted(range(total), key=lambda number: -modified(number, total))[:count]


#: The word the search workload looks for: about 10 Pages of 100,000 hold it.
SEARCH_WORD = rare_word(42_424)
