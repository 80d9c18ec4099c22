"""Print, per room, what the last `make mutation` made of its mutants.

Reads the verdicts mutmut keeps next to each mutated module
(`mutants/objweb/<room>/<module>.py.meta`) and writes one line per room:
mutants made, killed, survived, timed out, not reached by any selected test,
and not yet tried. `make mutation` calls it after each run; the table is also
written to `mutants/summary.txt`. The surviving mutants are listed by name
(`mutmut show NAME` prints one as a diff).
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOMS = ("traversal", "security", "sandbox", "web")
MUTANTS = Path("mutants")
# mutmut's exit codes (mutmut.stats.status_by_exit_code), the ones a run gives.
KILLED, SURVIVED = {1, 3}, {0}
TIMEOUT = {36, -24, 24, 152, 255}
NO_TESTS = {5, 33}
COLUMNS = ("made", "killed", "survived", "timeout", "no tests", "not tried", "other")


def verdicts_of(room: str) -> dict[str, int | None]:
    """Return {mutant name: exit code or None} for the mutants of `room`."""
    verdicts = {}
    for meta in sorted((MUTANTS / "objweb" / room).glob("*.py.meta")):
        verdicts.update(json.loads(meta.read_text())["exit_code_by_key"])
    return verdicts


def tally(verdicts: dict[str, int | None]) -> Counter:
    """Return the count of each column of the summary for these verdicts."""
    counts = Counter(made=len(verdicts))
    for code in verdicts.values():
        if code is None:
            counts["not tried"] += 1
        elif code in KILLED:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
        elif code in TIMEOUT:
            counts["timeout"] += 1
        elif code in NO_TESTS:
            counts["no tests"] += 1
        else:
            counts["other"] += 1
    return counts


def summary(rooms) -> str:
    """Return the table of the rooms' figures, then the names of their survivors."""
    lines = ["room       " + "".join(f"{column:>11}" for column in COLUMNS)]
    survivors = []
    for room in rooms:
        verdicts = verdicts_of(room)
        counts = tally(verdicts)
        lines.append(f"{room:<11}" + "".join(f"{counts[column]:>11}" for column in COLUMNS))
        survivors += [name for name, code in sorted(verdicts.items()) if code in SURVIVED]
    lines += ["", f"surviving ({len(survivors)}):"] + [f"  {name}" for name in survivors]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    rooms = argv or list(ROOMS)
    unknown = [room for room in rooms if room not in ROOMS]
    if unknown:
        print(f"no such room: {', '.join(unknown)} (rooms: {', '.join(ROOMS)})", file=sys.stderr)
        return 2
    text = summary(rooms)
    MUTANTS.mkdir(exist_ok=True)
    (MUTANTS / "summary.txt").write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
