"""What the fuzzers tried (requests sent, seconds, status codes seen), shown after the run.

Plain data with no imports, so the root conftest can print it in the pytest-xdist controller,
which collects no tests: each worker hands its tally over when it finishes (`handed_over`),
the controller adds them up (`take`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

STATS: dict[str, float] = {"pages": 0, "page_seconds": 0.0, "api": 0, "api_seconds": 0.0}
ANSWERS: dict[str, Counter] = {"pages": Counter(), "api": Counter()}


def handed_over() -> dict[str, Any]:
    return {"stats": dict(STATS), "answers": {kind: dict(counts) for kind, counts in ANSWERS.items()}}


def take(tally: dict[str, Any] | None) -> None:
    if not tally:
        return
    for key, value in tally["stats"].items():
        STATS[key] += value
    for kind, counts in tally["answers"].items():
        ANSWERS[kind].update({int(code): n for code, n in counts.items()})


def summary_lines() -> list[str]:
    if not (STATS["pages"] or STATS["api"]):
        return []
    lines = [
        f"fuzz: pages {STATS['pages']:.0f} requests in {STATS['page_seconds']:.0f} s, "
        f"API {STATS['api']:.0f} requests in {STATS['api_seconds']:.0f} s"
    ]
    for kind, counts in ANSWERS.items():
        if counts:
            lines.append(f"fuzz: {kind} answered " + ", ".join(f"{c}×{n}" for c, n in sorted(counts.items())))
    return lines
