"""The role walks' text checker itself (no browser)."""

from tests.browser.ui_checks import bad_text


def test_the_checker_catches_english_and_developer_text():
    assert bad_text("隐患台账 Export 共 3 条") == ["Export"]
    assert bad_text("见 RULES.md §2.4") == ["RULES.md", "§2"]
    assert bad_text("字段 direct_loss 无效") == ["direct_loss"]
    assert bad_text("文件类型 application/pdf 不支持") == ["application/pdf"]
    assert bad_text("SafeLoop 导出 Excel，编号 YH-430903-2026-000123，代码 91430903MA4QXXXX12") == []


def test_the_walk_opens_one_link_of_each_kind():
    from tests.browser.walker import shape

    assert shape("http://h/hazards/12/") == shape("http://h/hazards/25489/") == "/hazards/N/?"
    assert shape("http://h/hazards/?status=closed&page=3") == shape("http://h/hazards/?page=1&status=rectifying")
    assert shape("http://h/hazards/?status=closed") != shape("http://h/hazards/?level=major")
    assert shape("http://h/jobs/0b5e5c1e-8a36-4bb4-9d3a-2a8f0f6c1b2d/") == "/jobs/N/?"
