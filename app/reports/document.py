"""A report as plain values: what the DOCX, PDF and XLSX writers print, and nothing they must look up."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A section heading: level 1 "I. MỞ ĐẦU", level 2 "1. Công tác lãnh đạo, chỉ đạo"."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text; line breaks inside start new paragraphs, a leading "- " or "+ " is kept as written."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of figures: one header row, then rows of text or numbers (None prints as "—")."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int | float | None, ...], ...]
    sheet: str = ""  # the XLSX sheet name (the caption, shortened, when empty)


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signature:
    """The signature block: capacity lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and the name."""

    lines: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class ReportDocument:
    """Everything an administrative report (Nghị định 30/2020 layout) prints, already in the reader's language."""

    issuer_parent: str  # above the issuer, e.g. "UBND XÃ VIỆT AN" for a unit; "" for the commune itself
    issuer: str  # "ỦY BAN NHÂN DÂN XÃ VIỆT AN", "ĐOÀN THANH NIÊN XÃ VIỆT AN", "THÔN ĐÔNG"
    number: str  # "Số: 12/BC-UBND" or "Số:      /BC-UBND" while unnumbered
    place: str  # "Việt An"
    date: dt.date | None  # None: the date line is left with blanks to fill by hand
    title: str  # "BÁO CÁO"
    subtitle: str  # "Tình hình kết quả triển khai Phong trào Bình dân học vụ số năm 2026"
    recipients: tuple[str, ...]  # the "Kính gửi:" lines
    blocks: tuple[Block, ...]  # intro paragraph, sections, figures tables, closing paragraph, in order
    copies_to: tuple[str, ...]  # "Nơi nhận:" lines ("- Như trên;", "- Lưu: VT.")
    signature: Signature
    draft: bool = False  # a draft prints "DỰ THẢO" so it is never mistaken for the submitted report
    file_stem: str = "bao-cao"  # a download's name without extension
    metadata: dict[str, str] = field(default_factory=dict)  # document properties: author, subject

    def tables(self) -> list[Table]:
        """The figures tables, in order (what the XLSX holds)."""
        return [block for block in self.blocks if isinstance(block, Table)]
