"""One PDF from two: the pages Qt drew (a temporary PDF, classic xref) and the text layer's
pages (content streams in a temporary file), in the report's page order.

Qt's objects are copied byte for byte and keep their numbers; only its page tree is written
again, listing every page in order, Qt's and ours. The text layer's objects are numbered
after Qt's: per page its content stream and page dictionary, one resource dictionary, and
the fonts (gui/report/pdf_fonts.py). Everything is written front to back in chunks, so
memory holds only the objects' offsets, whatever the number of pages.
"""

from __future__ import annotations

import re
import tempfile
import zlib
from typing import IO

from gui.report.pdf_canvas import PdfCanvas
from gui.report.pdf_fonts import FontSet

COMPRESSION = 1  # zlib level: 6 (its default) packs a fifth smaller and takes 2.5 times as long
_CHUNK = 1 << 20


class PdfFormatError(Exception):
    """Qt's temporary PDF is not laid out as expected (no classic xref, no page tree)."""


class TextLayer:
    """The text layer's pages of one report: compressed content streams kept in a temporary
    file by page index until `write_pdf` puts them in the final file."""

    def __init__(self, ctm: str, media_box: str) -> None:
        self.fonts = FontSet()
        self.ctm, self.media_box = ctm, media_box
        self.file = tempfile.TemporaryFile()
        # The files the pages are in: this layer's, and those of children that painted pages.
        self.files: list[IO[bytes]] = [self.file]
        self.pages: dict[int, tuple[int, int, int]] = {}  # page index -> (offset, length, file) in self.files
        self.used: set[str] = set()

    def canvas(self) -> PdfCanvas:
        """A canvas for the next page, drawing in this layer's fonts."""
        return PdfCanvas(self.fonts)

    def add(self, index: int, canvas: PdfCanvas) -> None:
        """Keeps `canvas`'s page as page `index` (from 0) of the report."""
        self.pages[index] = write_page(self.file, self.ctm, canvas) + (0,)
        self.used |= canvas.used

    def adopt(self, file: IO[bytes], pages: dict[int, tuple[int, int]], used: set[str]) -> None:
        """Takes in pages painted elsewhere in this layer's fonts (a forked child's): by page
        index, (offset, length) of each page's stream as write_page put it in `file`, and
        the fonts' resource names they use. The layer closes `file`."""
        self.files.append(file)
        k = len(self.files) - 1
        self.pages.update({index: (offset, length, k) for index, (offset, length) in pages.items()})
        self.used |= used

    def close(self) -> None:
        for file in self.files:
            file.close()


def write_page(file: IO[bytes], ctm: str, canvas: PdfCanvas) -> tuple[int, int]:
    """Appends `canvas`'s page to `file` as a compressed content stream drawn under `ctm`;
    returns its (offset, length) in bytes."""
    data = zlib.compress(f"q {ctm} cm\n".encode("ascii") + canvas.stream() + b"Q\n", COMPRESSION)
    offset = file.tell()
    file.write(data)
    return offset, len(data)


def _read_tail(qt: IO[bytes]) -> tuple[dict[int, int], int, str, int]:
    """Qt's PDF's objects' offsets, where its xref starts, its trailer and its /Size."""
    qt.seek(0, 2)
    end = qt.tell()
    qt.seek(max(0, end - 1024))
    tail = qt.read()
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if found is None:
        raise PdfFormatError("no startxref")
    start = int(found.group(1))
    qt.seek(start)
    table = qt.read(end - start).decode("latin-1")
    if not table.startswith("xref"):
        raise PdfFormatError("no classic xref")
    body, _, trailer = table.partition("trailer")
    offsets: dict[int, int] = {}
    lines = body.split("\n")[1:]
    k = 0
    while k < len(lines):
        head = lines[k].split()
        k += 1
        if len(head) != 2:
            continue
        first, count = int(head[0]), int(head[1])
        for n in range(count):
            entry = lines[k + n].split()
            if entry[2] == "n":
                offsets[first + n] = int(entry[0])
        k += count
    size = re.search(r"/Size\s+(\d+)", trailer)
    if size is None:
        raise PdfFormatError("no /Size")
    return offsets, start, trailer, int(size.group(1))


def _object(qt: IO[bytes], offset: int, limit: int = 1 << 16) -> str:
    qt.seek(offset)
    text = qt.read(limit).decode("latin-1")
    return text[: text.find("endobj")]


def write_pdf(out: IO[bytes], qt: IO[bytes], layer: TextLayer, qt_pages: list[int], pages: int) -> None:
    """Writes the whole report to `out`: page i (from 0) is Qt's k-th page when qt_pages[k] == i,
    else the text layer's page i. Raises PdfFormatError when Qt's file is not as expected,
    OSError when a write fails."""
    offsets, xref_start, trailer, size = _read_tail(qt)
    root = re.search(r"/Root\s+(\d+)\s+0\s+R", trailer)
    if root is None:
        raise PdfFormatError("no /Root")
    tree = re.search(r"/Pages\s+(\d+)\s+0\s+R", _object(qt, offsets[int(root.group(1))]))
    if tree is None:
        raise PdfFormatError("no page tree")
    tree_no = int(tree.group(1))
    kids_text = _object(qt, offsets[tree_no], 1 << 30).partition("/Kids")[2].partition("]")[0]
    qt_kids = [int(n) for n in re.findall(r"(\d+)\s+0\s+R", kids_text)]
    if len(qt_kids) < len(qt_pages):
        raise PdfFormatError(f"{len(qt_kids)} pages drawn by Qt, {len(qt_pages)} expected")

    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    positions: dict[int, int] = {}
    ordered = sorted(offsets.items(), key=lambda item: item[1])
    bounds = [offset for _, offset in ordered[1:]] + [xref_start]
    for (number, offset), stop in zip(ordered, bounds):
        if number == tree_no:
            continue
        positions[number] = out.tell()
        _copy(qt, out, offset, stop - offset)

    number = size
    page_numbers: dict[int, int] = dict(zip(qt_pages, qt_kids))
    resources = size + 2 * len(layer.pages)
    for index, (offset, length, file) in sorted(layer.pages.items()):
        positions[number] = out.tell()
        out.write(f"{number} 0 obj\n<< /Length {length} /Filter /FlateDecode >>\nstream\n".encode("ascii"))
        _copy(layer.files[file], out, offset, length)
        out.write(b"\nendstream\nendobj\n")
        positions[number + 1] = out.tell()
        out.write(
            f"{number + 1} 0 obj\n<< /Type /Page /Parent {tree_no} 0 R /Contents {number} 0 R "
            f"/Resources {resources} 0 R /MediaBox {layer.media_box} >>\nendobj\n".encode("ascii")
        )
        page_numbers[index] = number + 1
        number += 2
    fonts, font_numbers = layer.fonts.objects(resources + 1)
    entries = " ".join(f"/{name} {font_numbers[name]} 0 R" for name in sorted(layer.used))
    for data in [f"<< /Font << {entries} >> >>".encode("ascii"), *fonts]:
        positions[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode("ascii") + data + b"\nendobj\n")
        number += 1
    kids = " ".join(f"{page_numbers[i]} 0 R" for i in range(pages))
    positions[tree_no] = out.tell()
    out.write(f"{tree_no} 0 obj\n<< /Type /Pages /Kids [{kids}] /Count {pages} >>\nendobj\n".encode("ascii"))

    start = out.tell()
    rows = [b"xref\n", f"0 {number}\n".encode("ascii"), b"0000000000 65535 f \n"]
    rows += [
        (f"{positions[n]:010d} 00000 n \n" if n in positions else "0000000000 00000 f \n").encode("ascii")
        for n in range(1, number)
    ]
    out.write(b"".join(rows))
    info = re.search(r"/Info\s+\d+\s+0\s+R", trailer)
    out.write(
        f"trailer\n<< /Size {number} /Root {root.group(1)} 0 R {info.group(0) if info else ''} >>\n"
        f"startxref\n{start}\n%%EOF\n".encode("ascii")
    )


def _copy(source: IO[bytes], out: IO[bytes], offset: int, length: int) -> None:
    source.seek(offset)
    while length > 0:
        chunk = source.read(min(_CHUNK, length))
        if not chunk:
            raise PdfFormatError("the temporary file ended early")
        out.write(chunk)
        length -= len(chunk)
