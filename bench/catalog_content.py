"""The content of the catalog bench: a million Pages, the same for objweb and Zope 5.

Standard library only: Zope 5's `zconsole run` imports it too. 100 folders of
10,000 Pages (`/m/f000/item-000000` ...), titles `Item N`, bodies of 40 words
drawn Zipf-wise from 50,000 made-up words plus one rare word shared by 10
Pages, `created` uniform over two years and `modified` an exponential of mean
ten days after it (a real site's spread, not a build's few minutes). Every
20th folder is private: View for Manager and Editor only. Each folder draws
from its own seeded generator, so both servers get the same Pages.
`CATALOG_FOLDERS` and `CATALOG_PER_FOLDER` shrink it for a trial run.
"""

import itertools
import os
import random

FOLDERS = int(os.environ.get("CATALOG_FOLDERS", 100))
PER_FOLDER = int(os.environ.get("CATALOG_PER_FOLDER", 10_000))
START = 1_672_531_200  # 2023-01-01
SPAN = 2 * 365 * 86400
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "pe", "dra", "gon", "el",
             "fu", "zo", "bi", "qua", "rem", "sol", "tin", "ux"]
VOCABULARY = 50_000
WORDS_PER_BODY = 40
PAGES = FOLDERS * PER_FOLDER
RARE = max(PAGES // 10, 1)  # each rare word is in 10 Pages


def _word(rank: int) -> str:
    out, rank = [], rank + 1
    while rank:
        rank, digit = divmod(rank, len(SYLLABLES))
        out.append(SYLLABLES[digit])
    return "".join(out)


WORDS = [_word(rank) for rank in range(VOCABULARY)]
WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(VOCABULARY)))


def folder_name(number: int) -> str:
    return f"f{number:03d}"


def is_private(number: int) -> bool:
    return number % 20 == 0


def rare_word(number: int) -> str:
    """The rare word of Page `number` (counted over the whole site): 10 Pages share it."""
    return f"k{(number * 7919) % RARE}"


def pages(folder: int):
    """Yield (id, title, body, created, modified) for each Page of folder `folder`."""
    rng = random.Random(folder)
    for index in range(PER_FOLDER):
        number = folder * PER_FOLDER + index
        words = rng.choices(WORDS, cum_weights=WEIGHTS, k=WORDS_PER_BODY)
        words.append(rare_word(number))
        created = START + rng.randrange(SPAN)
        modified = min(created + int(rng.expovariate(1 / (10 * 86400))), START + SPAN)
        yield (f"item-{number:06d}", f"Item {number}", "<p>" + " ".join(words) + "</p>",
               float(created), float(modified))


# The three queries of the issue, in one vocabulary.
TEXT_WORD = rare_word(123_457 % PAGES)                    # (a) about 10 Pages
FOLDER = "/m/" + folder_name(7 % FOLDERS)                 # (b) one public folder
WINDOW = (START + SPAN // 2, START + SPAN // 2 + SPAN // 10)  # (c) 10% of the span
