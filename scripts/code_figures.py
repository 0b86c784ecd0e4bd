#!/usr/bin/env python3
"""Figures of the code base for notes and reviews: function length median/p90, long functions,
modules over 600 lines. Counts the lines of each function's body (def to last statement),
migrations excluded. Usage: scripts/code_figures.py [ROOT]"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

MODULE_LIMIT = 600


def function_lengths(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.end_lineno - node.lineno + 1, f"{path}:{node.lineno} {node.name}")
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def main(root: str = "safeloop") -> None:
    files = [p for p in Path(root).rglob("*.py") if "migrations" not in p.parts]
    lengths = sorted(length for path in files for length, _ in function_lengths(path))
    p90 = lengths[int(len(lengths) * 0.9)]
    print(f"functions: {len(lengths)}, median {statistics.median(lengths)} lines, p90 {p90} lines")
    longest = sorted((item for path in files for item in function_lengths(path)), reverse=True)[:5]
    print("longest:", "; ".join(f"{name} ({n})" for n, name in longest))
    big = [(len(p.read_text(encoding="utf-8").splitlines()), str(p)) for p in files]
    over = sorted((n, p) for n, p in big if n > MODULE_LIMIT)
    print(f"modules over {MODULE_LIMIT} lines: {len(over)}", *(f"{p} ({n})" for n, p in over))


if __name__ == "__main__":
    main(*sys.argv[1:])
