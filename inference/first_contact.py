"""Figures on a batch of messages nobody has tuned the triage on yet (its first contact with
them): for each emergency category, the share that raised any red flag and the share that
raised its own; for controls, the share left quiet; and every miss, to study afterwards.

    python -m inference.first_contact batch.csv

The file has the columns id, category, text; category `control` marks a non-emergency."""

import csv
import sys
from collections import defaultdict
from pathlib import Path

from inference.flag_detector import detector
from inference.model import model
from inference.triage import analyze

CONTROL = "control"


def _row(name: str, cases: int, any_flag: int, own: int) -> str:
    return f"{name:30} {cases:5} {100 * any_flag / cases:8.1f} % {100 * own / cases:7.1f} %"


def report(path: Path) -> str:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    trained_model, trained_detector = model(), detector()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, any flag, own flag
    misses, noisy = [], []
    for row in rows:
        flags = [
            found.code
            for found in analyze(
                trained_model, trained_detector, codes=[], text=row["text"]
            ).red_flags
        ]
        tally = counts[row["category"]]
        tally[0] += 1
        tally[1] += bool(flags)
        tally[2] += row["category"] in flags
        if row["category"] == CONTROL and flags:
            noisy.append(f"  {row['id']} {flags}: {row['text']}")
        elif row["category"] != CONTROL and row["category"] not in flags:
            misses.append(f"  {row['id']} {row['category']} (raised {flags}): {row['text']}")
    lines = [f"{'category':30} cases  any flag  own flag"]
    emergencies = [0, 0, 0]
    for category, (cases, any_flag, own) in sorted(counts.items()):
        if category == CONTROL:
            continue
        emergencies = [emergencies[0] + cases, emergencies[1] + any_flag, emergencies[2] + own]
        lines.append(_row(category, cases, any_flag, own))
    lines.append(_row("all emergencies", *emergencies))
    controls = counts.get(CONTROL, [0, 0, 0])
    if controls[0]:
        quiet = controls[0] - len(noisy)
        lines.append(
            f"{'controls left quiet':30} {controls[0]:5} {100 * quiet / controls[0]:8.1f} %"
        )
    return "\n".join(
        [*lines, "", "Not raising their own flag:", *misses, "", "Controls flagged:", *noisy]
    )


if __name__ == "__main__":
    print(report(Path(sys.argv[1])))
