"""Official-layout Word documents: reopened with python-docx and checked like a clerk would."""

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from safeloop.core.docx import OfficialDocument, chinese_date


@pytest.fixture
def notice():
    doc = OfficialDocument("责令限期整改指令书", "赫应急责改〔2026〕12号")
    doc.field_line("被检查单位", "益阳市赫山区顺达运输有限公司")
    doc.heading("一、存在的问题")
    doc.table(["序号", "隐患描述"], [["1", "危化品仓库未设置可燃气体报警装置"], ["2", "特种作业人员未持证上岗"]])
    doc.paragraph("现责令你单位于2026年12月15日前整改完毕。")
    doc.signature("益阳市赫山区应急管理局", dt.date(2026, 11, 29))
    doc.receipt_line("被检查单位负责人（签收）")
    return Document(io.BytesIO(doc.to_bytes()))


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_title_is_centred_in_22_point_xiaobiaosong(notice):
    title = notice.paragraphs[0]
    assert title.text == "责令限期整改指令书"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_document_number_is_centred_under_the_title(notice):
    number = notice.paragraphs[1]
    assert (number.text, number.alignment) == ("赫应急责改〔2026〕12号", WD_ALIGN_PARAGRAPH.CENTER)


def test_page_is_a4_with_official_margins(notice):
    section = notice.sections[0]
    lengths = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    lengths += (section.left_margin, section.right_margin)
    assert [round(length.mm, 1) for length in lengths] == [210, 297, 37, 35, 28, 26]  # stored in twips


def test_every_run_names_its_east_asian_font(notice):
    runs = [run for paragraph in notice.paragraphs for run in paragraph.runs]
    runs += [run for cell in notice.tables[0]._cells for run in cell.paragraphs[0].runs]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)


def test_body_is_fangsong_16_point_on_a_fixed_line_with_two_character_indent(notice):
    body = next(p for p in notice.paragraphs if p.text.startswith("现责令"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    style = notice.styles["Normal"].paragraph_format
    assert style.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= style.line_spacing <= Pt(29)


def test_heading_is_heiti(notice):
    heading = next(p for p in notice.paragraphs if p.text == "一、存在的问题")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_field_line_reads_label_colon_value(notice):
    assert "被检查单位：益阳市赫山区顺达运输有限公司" in texts(notice)


def test_table_holds_headers_and_rows_with_a_bold_repeating_header(notice):
    table = notice.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["序号", "隐患描述"],
        ["1", "危化品仓库未设置可燃气体报警装置"],
        ["2", "特种作业人员未持证上岗"],
    ]
    header = table.rows[0]
    assert all(cell.paragraphs[0].runs[0].font.bold for cell in header.cells)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.style.name == "Table Grid"


def test_table_row_with_a_missing_value_is_refused():
    with pytest.raises(ValueError):
        OfficialDocument("通知").table(["序号", "内容"], [["1"]])


def test_issuer_and_chinese_date_close_the_document_right_aligned(notice):
    issuer, date = (p for p in notice.paragraphs if p.text in {"益阳市赫山区应急管理局", "2026年11月29日"})
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The issuer is centred over the date, which stands four characters from the margin.
    assert date.paragraph_format.right_indent == Pt(64)
    assert issuer.paragraph_format.right_indent < date.paragraph_format.right_indent


def test_receipt_line_leaves_room_to_sign_and_date(notice):
    last = notice.paragraphs[-1]
    assert last.text.startswith("被检查单位负责人（签收）：")
    assert last.runs[1].font.underline and last.text.endswith("年\u3000月\u3000日")


@pytest.mark.parametrize(
    ("day", "written"), [(dt.date(2026, 11, 29), "2026年11月29日"), (dt.date(2027, 1, 5), "2027年1月5日")]
)
def test_dates_are_written_without_leading_zeros(day, written):
    assert chinese_date(day) == written


def test_save_writes_the_same_bytes_as_to_bytes():
    doc = OfficialDocument("通知")
    out = io.BytesIO()
    doc.save(out)
    assert Document(io.BytesIO(out.getvalue())).paragraphs[0].text == "通知"


@pytest.fixture
def order():
    from safeloop.core.docx import Code
    from safeloop.core.qr import qr_png

    doc = OfficialDocument("责令限期整改指令书", "赫山应急责改〔2026〕12号")
    doc.table(
        ["序号", "隐患描述", "等级"], [["1", "危化品仓库未设置可燃气体报警装置", "重大"]], widths_mm=[15, 126, 15]
    )
    doc.officers("执法人员", ["王强"])
    doc.signature(
        "益阳市赫山区应急管理局", dt.date(2026, 12, 2), code=Code(qr_png("https://x.cn/verify/t/"), "扫码核验")
    )
    doc.receipt_line("被检查单位负责人（签名）")
    return Document(io.BytesIO(doc.to_bytes()))


def test_table_columns_have_the_fixed_widths_asked_for(order):
    table = order.tables[0]
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [round(column.width.mm) for column in table.columns] == [15, 126, 15]
    assert [round(cell.width.mm) for cell in table.rows[1].cells] == [15, 126, 15]


def test_widths_wider_than_the_type_area_are_refused():
    with pytest.raises(ValueError):
        OfficialDocument("通知").table(["序号", "内容"], [["1", "x"]], widths_mm=[20, 140])


def test_two_officer_lines_the_unknown_one_left_to_sign_each_with_a_certificate_blank(order):
    lines = [p for p in order.paragraphs if p.text.startswith("执法人员：")]
    assert [p.text.split("\t")[0] for p in lines] == ["执法人员：王强", "执法人员：" + "\u3000" * 5]
    assert all("证号：" in p.text and p.runs[-1].font.underline for p in lines)
    assert lines[1].runs[1].font.underline and not lines[0].runs[1].font.underline


def test_seal_placeholder_stands_over_the_issuer_and_date_on_their_axis():
    doc = OfficialDocument("通知")
    doc.signature("益阳市应急管理局", dt.date(2026, 12, 2))
    seal, issuer, date = Document(io.BytesIO(doc.to_bytes())).paragraphs[-3:]
    assert (seal.text, issuer.text, date.text) == ("（印章）", "益阳市应急管理局", "2026年12月2日")
    # Centre from the right margin, in characters: right indent + half the width.
    centre = [p.paragraph_format.right_indent.pt / 16 + width / 2 for p, width in ((seal, 4), (issuer, 8), (date, 6.5))]
    assert max(centre) - min(centre) < 0.01


def test_verification_code_sits_left_of_issuer_and_date(order):
    block = order.tables[1]
    left, right = block.rows[0].cells
    assert left._tc.xpath(".//pic:pic") and left.paragraphs[-1].text == "扫码核验"
    assert [p.text for p in right.paragraphs] == ["（印章）", "益阳市赫山区应急管理局", "2026年12月2日"]
    assert block.style.name == "Normal Table" and block._tbl.tblPr.find(qn("w:tblBorders")) is None  # no box
