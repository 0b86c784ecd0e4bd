"""Word documents in the layout of Chinese official documents (GB/T 9704-2012 as reference).

Officials edit and print what we generate, so we write .docx with python-docx: A4, margins
37/35/28/26 mm, title in 小标宋 二号 centred, body 仿宋 三号 with a two-character first-line
indent on a fixed 28.95 pt line (22 lines a page), issuer and date at the end, page numbers
"— 1 —". Every run names its East Asian font (w:eastAsia): python-docx only sets the Latin
ones, and Word then shows Chinese in a fallback font.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import IO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"  # standard on government PCs; Word substitutes 宋体 elsewhere
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
BODY_LINE = Pt(28.95)  # fixed: 22 lines in the 225 mm type area
TITLE_LINE = Pt(36)
CHAR = BODY_SIZE  # one full-width character of body text


def chinese_date(day: dt.date) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _em_width(text: str) -> float:
    """Width in full-width characters: ASCII is half as wide as a Chinese character."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def _font(run: Run, east_asian: str, size: Length, *, bold: bool = False) -> Run:
    run.font.name = LATIN_FONT  # ascii and hAnsi
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


class OfficialDocument:
    """Build one document top to bottom; `document` is the python-docx object underneath."""

    def __init__(self, title: str, doc_no: str = "") -> None:
        self.document = Document()
        self.document.core_properties.title = title
        self._page_setup()
        self._default_style()
        self._title(title)
        if doc_no:
            self._line(doc_no, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._line("", BODY_FONT, BODY_SIZE)  # GB/T 9704: one empty line before the body

    # Content ----------------------------------------------------------------------------

    def heading(self, text: str) -> Paragraph:
        """First-level heading (一、……): 黑体, indented like the body."""
        return self._line(text, HEADING_FONT, BODY_SIZE, indent=True)

    def paragraph(self, text: str, *, indent: bool = True, bold: bool = False) -> Paragraph:
        return self._line(text, BODY_FONT, BODY_SIZE, indent=indent, bold=bold)

    def field_line(self, label: str, value: str) -> Paragraph:
        """被检查单位：XX有限公司 — a labelled value, flush left as on enforcement forms."""
        paragraph = self._line(f"{label.rstrip('：:')}：", BODY_FONT, BODY_SIZE)
        _font(paragraph.add_run(value), BODY_FONT, BODY_SIZE)
        return paragraph

    def table(self, headers: list[str], rows: list[list[str]]) -> Table:
        """Bordered table; the bold header row repeats on every page."""
        if any(len(row) != len(headers) for row in rows):
            raise ValueError("every row needs one value per header")
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._fill(table.rows[0], headers, bold=True)
        _repeat_as_header(table.rows[0])
        for values in rows:
            self._fill(table.add_row(), values)
        return table

    def signature(self, issuer: str, date: dt.date) -> None:
        """Issuer centred above the date; the date four characters from the right margin."""
        written = chinese_date(date)
        self._line("", BODY_FONT, BODY_SIZE)
        issuer_indent = max(4 + (_em_width(written) - _em_width(issuer)) / 2, 0)
        self._right(issuer, issuer_indent)
        self._right(written, 4)

    def receipt_line(self, text: str) -> Paragraph:
        """签收人：＿＿＿＿　年　月　日 — room for the recipient to sign and date by hand."""
        paragraph = self._line(f"{text.rstrip('：:')}：", BODY_FONT, BODY_SIZE)
        _font(paragraph.add_run("\u3000" * 6), BODY_FONT, BODY_SIZE).font.underline = True
        _font(paragraph.add_run("\u3000年\u3000月\u3000日"), BODY_FONT, BODY_SIZE)
        return paragraph

    # Output -------------------------------------------------------------------------------

    def save(self, stream: IO[bytes]) -> None:
        self.document.save(stream)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()

    # Layout -----------------------------------------------------------------------------

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)
        _page_number(section.footer.paragraphs[0])

    def _default_style(self) -> None:
        """仿宋 三号 on a fixed line for anything an official types into the file later."""
        style = self.document.styles["Normal"]
        style.font.name, style.font.size = LATIN_FONT, BODY_SIZE
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        fmt = style.paragraph_format
        fmt.line_spacing, fmt.space_before, fmt.space_after = BODY_LINE, Pt(0), Pt(0)

    def _title(self, title: str) -> None:
        paragraph = self._line(title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.line_spacing = TITLE_LINE

    def _line(self, text: str, font: str, size: Length, *, align=None, indent=False, bold=False) -> Paragraph:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = 2 * CHAR
            # Character units too, so the indent stays two characters if the size is changed.
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        if text:
            _font(paragraph.add_run(text), font, size, bold=bold)
        return paragraph

    def _right(self, text: str, chars_from_margin: float) -> None:
        paragraph = self._line(text, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(chars_from_margin * CHAR.pt)

    def _fill(self, row: _Row, values: list[str], *, bold: bool = False) -> None:
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, value, bold=bold)


def _cell_text(cell: _Cell, text: str, *, bold: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0  # tables use single spacing, not the body grid
    if bold:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)


def _repeat_as_header(row: _Row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _page_number(paragraph: Paragraph) -> None:
    """— 1 — centred, 宋体 四号 (the PAGE field is filled in by Word)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, TABLE_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(_font(paragraph.add_run("1"), PAGE_NUMBER_FONT, TABLE_SIZE)._element)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, TABLE_SIZE)
