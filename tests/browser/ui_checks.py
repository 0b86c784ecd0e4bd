"""What a page may not show its user: English interface text, developer text (file names, rule
numbers, field codes, MIME types). Used by the role walks."""

from __future__ import annotations

import re

# Latin words a Chinese user meets on purpose: product, formats, units, codes they type.
ALLOWED_WORDS = frozenset(
    {
        "SafeLoop",
        "Excel",
        "Word",
        "PDF",
        "API",
        "JSON",
        "GDP",
        "OpenAPI",
        "Bearer",
        "PNG",
        "SVG",
        "JPEG",
        "HEIC",
        "WebP",
        "xlsx",
        "docx",
        "km",
        "Safe",
        "demo",
    }
)
WORD = re.compile(r"(?<![A-Za-z0-9_@.\-/])[A-Za-z]{3,}(?![A-Za-z0-9_@.\-/])")
DEVELOPER_TEXT = [
    re.compile(r"RULES\.md|STANDARDS\.md|\.py\b|§\s*\d"),
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # field codes like direct_loss, stage=confirmation
    re.compile(r"\b(application|image|text)/[a-z.+-]+\b"),  # MIME types
    re.compile(r"Traceback|Exception|None\b|True\b|False\b"),
]


def bad_text(text: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The offending fragments of a page's visible text (empty when the page is clean)."""
    found = [m.group(0) for m in WORD.finditer(text) if m.group(0) not in ALLOWED_WORDS | allowed]
    for pattern in DEVELOPER_TEXT:
        found += [m.group(0) for m in pattern.finditer(text)]
    return sorted(set(found))
