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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from docx import Document
from docx.document import Document as WordDocument
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
TEXT_WIDTH_MM = 210 - 28 - 26  # the type area between the margins: 156 mm
CAPTION_SIZE = Pt(10.5)  # 五号
SEAL_PLACEHOLDER = "（印章）"
OFFICER_TAB_CHARS = 12  # 证号 of every officer line starts here, whatever the name's length
CODE_CELL_MM = 45  # the verification code's column beside the issuer and date
BLANK = "\u3000"  # a full-width space: underlined runs of them are lines to write on


def chinese_date(day: dt.date) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Code:
    """A QR code printed on a document: the PNG, a caption under it, its printed width."""

    png: bytes
    caption: str
    width_mm: float = 22


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

    def table(self, headers: list[str], rows: list[list[str]], *, widths_mm: Sequence[float] = ()) -> Table:
        """Bordered table; the bold header row repeats on every page. `widths_mm` fixes the
        column widths (Word and LibreOffice otherwise share the width out by content)."""
        if any(len(row) != len(headers) for row in rows):
            raise ValueError("every row needs one value per header")
        if widths_mm and (len(widths_mm) != len(headers) or sum(widths_mm) > TEXT_WIDTH_MM + 0.5):
            raise ValueError(f"one width per column, {TEXT_WIDTH_MM} mm at most in all")
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._fill(table.rows[0], headers, bold=True)
        _repeat_as_header(table.rows[0])
        for values in rows:
            self._fill(table.add_row(), values)
        if widths_mm:
            _fix_widths(table, widths_mm)
        return table

    def picture(self, png: bytes, *, width_mm: float = TEXT_WIDTH_MM, caption: str = "") -> None:
        """A picture (a chart) centred across the type area, its caption in 五号 under it; single
        spacing (the body's fixed line would crop the picture)."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(min(width_mm, TEXT_WIDTH_MM)))
        if caption:
            self.note(caption, align=WD_ALIGN_PARAGRAPH.CENTER)

    def note(self, text: str, *, align=None) -> Paragraph:
        """A note in 五号 on single spacing: a figure's definition under its paragraph, a caption."""
        paragraph = self._line(text, BODY_FONT, CAPTION_SIZE, align=align)
        paragraph.paragraph_format.line_spacing = 1.0
        return paragraph

    def signature(self, issuer: str, date: dt.date, *, seal: bool = True, code: Code | None = None) -> None:
        """Issuer centred above the date; the date four characters from the right margin. With
        `seal`, "（印章）" stands on the line above, on the same axis: the seal is stamped there,
        pressing down on the issuer and the date (GB/T 9704-2012 7.3.5.1). A verification
        `code` goes to the left of the block, in the room the right-aligned lines leave."""
        written = chinese_date(date)
        issuer_indent = max(4 + (_em_width(written) - _em_width(issuer)) / 2, 0)
        axis = issuer_indent + _em_width(issuer) / 2
        first = (SEAL_PLACEHOLDER, max(axis - _em_width(SEAL_PLACEHOLDER) / 2, 0)) if seal else ("", 0)
        cell = self._beside(code) if code else None
        for text, chars in (first, (issuer, issuer_indent), (written, 4)):
            self._right(text, chars, cell or self.document)
        if cell is not None:
            cell._tc.remove(cell.paragraphs[0]._p)  # the cell's own empty first paragraph

    def officers(self, label: str, names: Sequence[str], *, count: int = 2) -> None:
        """执法人员：王强　　证号：＿＿＿＿ — one line per officer (enforcement needs two); a name
        not known is a line to sign on, and so is the certificate number."""
        for index in range(count):
            name = names[index] if index < len(names) else ""
            paragraph = self._line(f"{label.rstrip('：:')}：", BODY_FONT, BODY_SIZE)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(OFFICER_TAB_CHARS * CHAR.pt))
            _font(paragraph.add_run(name or BLANK * 5), BODY_FONT, BODY_SIZE).font.underline = not name
            _font(paragraph.add_run("\t证号："), BODY_FONT, BODY_SIZE)
            _font(paragraph.add_run(BLANK * 7), BODY_FONT, BODY_SIZE).font.underline = True

    def receipt_line(self, text: str) -> Paragraph:
        """签收人：＿＿＿＿　年　月　日 — room for the recipient to sign and date by hand."""
        paragraph = self._line(f"{text.rstrip('：:')}：", BODY_FONT, BODY_SIZE)
        _font(paragraph.add_run(BLANK * 6), BODY_FONT, BODY_SIZE).font.underline = True
        _font(paragraph.add_run(f"{BLANK}年{BLANK}月{BLANK}日"), BODY_FONT, BODY_SIZE)
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

    def _line(
        self,
        text: str,
        font: str,
        size: Length,
        *,
        align=None,
        indent=False,
        bold=False,
        where: WordDocument | _Cell | None = None,
    ) -> Paragraph:
        paragraph = (where or self.document).add_paragraph()
        paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = 2 * CHAR
            # Character units too, so the indent stays two characters if the size is changed.
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        if text:
            _font(paragraph.add_run(text), font, size, bold=bold)
        return paragraph

    def _right(self, text: str, chars_from_margin: float, where: WordDocument | _Cell | None = None) -> None:
        paragraph = self._line(text, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, where=where)
        paragraph.paragraph_format.right_indent = Pt(chars_from_margin * CHAR.pt)

    def _beside(self, code: Code) -> _Cell:
        """A borderless two-cell row across the type area: the code and its caption on the
        left (single spacing: the body's fixed line would crop the picture); the right cell,
        with no inner margins, is returned for the lines that belong at the right margin."""
        table = self.document.add_table(rows=1, cols=2)
        _fix_widths(table, (CODE_CELL_MM, TEXT_WIDTH_MM - CODE_CELL_MM))
        _no_cell_margins(table)
        left, right = table.rows[0].cells
        picture = left.paragraphs[0]
        picture.paragraph_format.line_spacing = 1.0
        picture.add_run().add_picture(io.BytesIO(code.png), width=Mm(code.width_mm))
        self._line(code.caption, BODY_FONT, CAPTION_SIZE, where=left).paragraph_format.line_spacing = 1.0
        return right

    def _fill(self, row: _Row, values: list[str], *, bold: bool = False) -> None:
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, value, bold=bold)


def _cell_text(cell: _Cell, text: str, *, bold: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0  # tables use single spacing, not the body grid
    if bold:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed layout, widths on the grid (LibreOffice reads these) and on every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _no_cell_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


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
