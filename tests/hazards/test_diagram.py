from safeloop.hazards.diagram import lifecycle_markdown
from safeloop.hazards.management.commands.hazard_lifecycle import TARGET


def test_docs_lifecycle_matches_the_workflow_table():
    assert TARGET.read_text(encoding="utf-8") == lifecycle_markdown(), "run: manage.py hazard_lifecycle"


def test_every_transition_appears_in_the_diagram():
    text = lifecycle_markdown()
    for edge in (
        "reported --> confirmed: 确认隐患 confirm",
        "closed --> recurred: 回头看 look_back",
        "awaiting_acceptance --> rectifying: 验收退回 reject",
    ):
        assert edge in text
