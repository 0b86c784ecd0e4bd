"""Every word of Chinese a template shows is marked for translation ({% translate %},
{% blocktranslate %} or _("…") in a tag): house rule, and the way the platform's interface can
be reviewed and changed in one place."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MARKED = [
    re.compile(r"\{%\s*blocktranslate\b.*?%\}.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*(translate|trans)\s+(\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
]
PUNCT = r"\u3000-\u303f\uff01-\uff5e"
CHINESE = re.compile(rf"[{PUNCT}]*[\u4e00-\u9fff][\u4e00-\u9fff{PUNCT}]*")  # words; punctuation alone is no text


def unmarked(text: str) -> list[tuple[int, str]]:
    """(line, text) of each run of Chinese outside the marked places."""
    for pattern in MARKED:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in CHINESE.finditer(text)]


def test_the_scanner_finds_unmarked_words_and_passes_marked_ones():
    marked = '{% translate "工作台" %}{% blocktranslate with n=1 %}共{{ n }}条{% endblocktranslate %}{# 注释 #}'
    assert unmarked(marked) == [] and unmarked(f"<h1>{marked}隐患台账</h1>") == [(1, "隐患台账")]


def test_every_template_marks_its_chinese_text():
    found = [
        f"{path.relative_to(TEMPLATES)}:{line}: {words}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line, words in unmarked(path.read_text())
    ]
    assert found == [], f"{len(found)} unmarked:\n" + "\n".join(found)
