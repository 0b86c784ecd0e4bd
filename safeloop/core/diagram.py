"""A workflow's lifecycle for the docs: a Mermaid state diagram and the action table, rendered
from its transition table (so the docs cannot drift from what the code allows)."""

from __future__ import annotations

from collections.abc import Sequence

from safeloop.core.fields import FieldSpec
from safeloop.core.transitions import Transition


def lifecycle_markdown(transitions: Sequence[Transition], *, header: str, start: tuple[str, str]) -> str:
    """`start` is the state a new object begins in and the act that creates it (not in the table)."""
    lines = ["```mermaid", "stateDiagram-v2", *edges(transitions, start), "```", "", *action_table(transitions)]
    return "\n".join([header, *lines, ""])


def edges(transitions: Sequence[Transition], start: tuple[str, str]) -> list[str]:
    state, label = start
    lines = [f"    [*] --> {state}: {label}"]
    for t in transitions:
        for source in t.sources:
            lines += [f"    {source} --> {target}: {t.label} {t.action}" for target in t.targets or (source,)]
    return lines + [f"    {end} --> [*]" for end in final_states(transitions)]


def final_states(transitions: Sequence[Transition]) -> list[str]:
    """States some action leads to and none leaves, in table order."""
    sources = {s for t in transitions for s in t.sources}
    targets = [target for t in transitions for target in t.targets]
    return list(dict.fromkeys(target for target in targets if target not in sources))


def action_table(transitions: Sequence[Transition]) -> list[str]:
    rows = ["| action | 名称 | from | to | who | fields | needs |", "|---|---|---|---|---|---|---|"]
    for t in transitions:
        cells = [f"`{t.action}`", t.label, ", ".join(t.sources), ", ".join(t.targets) or "(unchanged)"]
        rows.append("| " + " | ".join(str(c) for c in [*cells, t.who_label, _fields(t.fields) or "—", t.needs]) + " |")
    return rows


def _fields(specs: Sequence[FieldSpec]) -> str:
    return "、".join(_field(spec) for spec in specs)


def _field(spec: FieldSpec) -> str:
    codes = " / ".join(f"`{value}` {label}" for value, label in spec.choices)
    return f"`{spec.name}` {spec.header}{'*' if spec.required else ''}{f'（{codes}）' if codes else ''}"
