"""The report's fonts for its own PDF text layer (gui/report/pdf_canvas.py): the very face Qt
picks for a style, its glyph ids and advances as Qt lays them out, embedded in the PDF.

A `PdfFont` is one face at one pixel size, as a text run is written: `encode` turns a line
into its codes (each character's code point, two bytes, Identity-H; a /CIDToGIDMap takes a
code to its glyph), `width` sums their advances and `wrap` breaks a paragraph. The ids,
the advances and the ligatures come from Qt (QRawFont, QFontMetricsF, QTextLayout), so a run
stands where Qt would have set each glyph: kerning is off in the report's fonts, but Qt still
applies the face's ligatures (DejaVu Sans: ff, fi, fl, ffi, ffl), found here by asking Qt to
shape every pair of printable ASCII characters (and the pairs it joins, with a third).

Only characters whose advances simply add up are taken (gui.report.SIMPLE_CHARACTERS, less
combining marks and control characters); any other, or one the face lacks (Qt would fall back
to another font), raises `NotInFace`, and that page is drawn by Qt instead.

Each face is embedded once (a CIDFontType2 with its TrueType tables as FontFile2, subset to the
glyphs used by fontTools, its name tagged as a subset), with a /W widths array per size and a
/ToUnicode map, so the text can be searched and copied.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

import numpy as np
from PySide6.QtCore import QTextBoundaryFinder
from PySide6.QtGui import QFont, QFontMetricsF, QRawFont, QTextLayout, QTextOption

from gui.report import SIMPLE_CHARACTERS

# The TrueType tables a PDF reader needs to draw the glyphs (ISO 32000-1, 9.9), with cmap and OS/2;
# no layout tables (GSUB, GPOS): the content streams place every glyph themselves.
TABLES = ("OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep")
_PROBE = "".join(map(chr, range(0x21, 0x7F)))  # characters whose pairs are shaped to find ligatures
_PRIVATE = 0xE000  # a ligature stands for its characters as one private-use character while encoding
# Marks (combining accents) are placed by shaping and control characters are not drawn.
_ALLOWED = frozenset(ch for ch in SIMPLE_CHARACTERS if unicodedata.category(ch)[0] not in "MC")


class NotInFace(Exception):
    """A text the text layer cannot set as Qt would (a character outside the simple scripts, or
    missing from the face): the page goes to Qt, which falls back to another font."""


class NotLearnt(NotInFace):
    """A font (a face at a size) the text layer has not learnt, met while its FontSet is frozen
    (a page painted in a forked child, gui/report/pdf_parallel.py): the fonts' resource names
    are given in the parent's FontSet, which writes them, so the page goes back to the parent."""


class Face:
    """One font file: its tables and which glyph stands for which text (for /ToUnicode)."""

    def __init__(self, raw: QRawFont, key: tuple[str, str]) -> None:
        self.key = key
        tables = {tag: bytes(raw.fontTable(tag).data()) for tag in TABLES}
        self.tables = {tag: data for tag, data in tables.items() if data}
        missing = [tag for tag in ("glyf", "head", "hhea", "hmtx", "loca", "maxp") if tag not in self.tables]
        if missing:  # a CFF (.otf) face has no glyf: not a TrueType font this writer embeds
            raise NotInFace(f"{key[0]} {key[1]} is not a TrueType face (no {', '.join(missing)})")
        self.name = re.sub(r"[^A-Za-z0-9-]", "", f"{key[0]}-{key[1]}".replace(" ", "")) or "Font"
        self.unicode: dict[int, str] = {}  # code (CID) -> the text it stands for
        self.glyphs: dict[int, int] = {}  # code (CID) -> glyph id
        self.ligatures: dict[str, int] | None = None

    def embedded(self) -> tuple[str, bytes, str]:
        """The face as written once every glyph is known: its /BaseFont name, its TrueType file
        (FontFile2) and its /FontDescriptor's entries but /FontFile2.

        The file is the face's TABLES with only the glyphs used (and the parts of composite
        glyphs) kept by fontTools.subset; the others stay as empty glyphs, so glyph ids are Qt's,
        as the /CIDToGIDMap says. Its name carries a subset tag, six capital letters and '+'
        (ISO 32000-1, 9.6.4), from the glyphs kept, so the same report gives the same file."""
        # Imported here: ~90 ms that only writing a PDF needs, not the app's start.
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.sfnt import SFNTWriter

        file = io.BytesIO()
        writer = SFNTWriter(file, len(self.tables))
        for tag in sorted(self.tables):
            writer[tag] = self.tables[tag]
        writer.close()
        file.seek(0)
        font = TTFont(file, recalcTimestamp=False)  # the face's own date: the same report, the same file
        # Glyphs named by id: a PDF does not need names, and fontTools makes them up from cmap (~30 ms).
        font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
        descriptor = _descriptor(font)  # the whole face's bounding box, not the subset's
        glyphs = sorted({0, *self.glyphs.values()})
        # Hinting is kept (cvt, fpgm, prep and each glyph's program), as in the face Qt draws with.
        options = subset.Options(retain_gids=True, notdef_outline=True, name_IDs=[], layout_features=[])
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=glyphs)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        digest = hashlib.sha256(f"{self.name} {glyphs}".encode("ascii")).digest()
        name = "".join(chr(ord("A") + b % 26) for b in digest[:6]) + "+" + self.name
        return name, out.getvalue(), f"/Type /FontDescriptor /FontName /{name} {descriptor}"

    def cid_to_gid(self) -> bytes:
        """The /CIDToGIDMap: per code from 0, its glyph id (two bytes, big-endian; 0: none)."""
        table = np.zeros(max(self.glyphs, default=0) + 1, dtype=">u2")
        table[list(self.glyphs)] = list(self.glyphs.values())
        return table.tobytes()

    def to_unicode(self) -> bytes:
        """The /ToUnicode CMap: each code learnt, to the text it stands for."""
        entries = sorted(self.unicode.items())
        lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        for k in range(0, len(entries), 100):
            chunk = entries[k : k + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for gid, text in chunk]
            lines.append("endbfchar")
        lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        return "\n".join(lines).encode("ascii")


def _descriptor(font: Any) -> str:
    """A /FontDescriptor's entries but its type, name and file, from a fontTools TTFont's head,
    hhea and OS/2 tables (font units scaled to 1/1000 of the size)."""
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"] if "OS/2" in font else None
    cap = getattr(os2, "sCapHeight", hhea.ascent)  # OS/2 version 2 and later
    weight = getattr(os2, "usWeightClass", 400)

    def scaled(v: int) -> str:
        return f"{v * 1000 / head.unitsPerEm:.0f}"

    bbox = " ".join(scaled(v) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    stem = 50 + int(weight / 65) ** 2  # the usual estimate from the weight class
    return (
        f"/Flags 32 /FontBBox [{bbox}] /ItalicAngle 0 /Ascent {scaled(hhea.ascent)} "
        f"/Descent {scaled(hhea.descent)} /CapHeight {scaled(cap)} /StemV {stem}"
    )


class PdfFont:
    """A face at one pixel size, as the report's text is set in it: resource `name` (/R1 ...)."""

    def __init__(self, face: Face, font: QFont, name: str) -> None:
        self.face, self.name = face, name
        self.size = font.pixelSize()
        self.raw = QRawFont.fromFont(font)
        self.metrics = QFontMetricsF(font)
        self.ascent, self.leading = self.metrics.ascent(), self.metrics.leading()
        self.descent = self.metrics.descent()  # below a line's baseline: where its glyphs end
        # QPainter's formatted text sets each line at the next whole unit below the last.
        pitch = math.ceil(self.metrics.ascent() + self.metrics.descent() + self.leading - 1e-9)
        self.pitch = int(pitch)
        self.first_line = math.ceil(self.leading - 1e-9) + self.ascent  # the first baseline below a block's top
        self._widths: dict[str, float] = {}  # lines measured (right-aligned figures recur)
        self._short: dict[str, str] = {}  # short texts encoded
        self._font = font
        self.known: set[str] = {"\n"}  # characters learnt: their glyphs, advances and bearings
        self._unknown = re.compile("[^\n]")  # any character not learnt yet
        self.advances: dict[str, float] = {}  # character -> advance in points
        self.bearings: dict[str, float] = {" ": 0.0}  # character -> how far its glyph reaches past its advance
        self.most_bearing = 0.0
        self._cuts: dict[float, dict[bytes, list[int]]] = {}  # width -> paragraph's shape -> where its lines start
        digits = [self.metrics.horizontalAdvance(d) for d in "0123456789"]
        bearings = [self.metrics.rightBearing(d) for d in "0123456789"]
        alike = len(set(digits)) == 1 and len(set(bearings)) == 1
        self._digits = bytes.maketrans(b"123456789", b"000000000" if alike else b"123456789")
        self.widths_by_cid: dict[int, float] = {}  # code -> advance in 1/1000 of the size (/W)
        if face.ligatures is None:
            face.ligatures = _ligatures(font, self.raw)
        self._ligature: Callable[[str], str] | None = None
        if face.ligatures:
            # Longest first, left to right: as HarfBuzz applies a ligature lookup.
            codes = {seq: chr(_PRIVATE + k) for k, seq in enumerate(face.ligatures)}
            pattern = re.compile("|".join(map(re.escape, sorted(codes, key=len, reverse=True))))
            self._ligature = lambda text: pattern.sub(lambda m: codes[m.group()], text)
            for seq, code in codes.items():
                self._add(code, face.ligatures[seq], seq)
        for ch in _PROBE + " ":  # learnt at once: the characters of names and figures
            try:
                self._learn(ch)
            except NotInFace:
                pass  # a face without it: a text with it goes to Qt
        self._unknown = re.compile(f"[^{re.escape(''.join(sorted(self.known)))}]")

    def encode(self, text: str) -> str:
        """`text` (no line break) as a PDF string's hex digits: each character's code point is
        its CID (two bytes, Identity-H), the font's CIDToGIDMap takes it to its glyph; raises
        NotInFace for a character Qt would not set so."""
        found = self._short.get(text)  # U numbers, figures, captions: the same short texts recur
        if found is None:
            found = self.encode_lines(text)[0]
            if len(text) <= 12:
                if len(self._short) > _BREAKS_KEPT:
                    self._short.clear()
                self._short[text] = found
        return found

    def encode_lines(self, text: str) -> list[str]:
        """Each line of `text` (split at line breaks) as encode gives it."""
        # Characters are checked before ligatures become private-use codes: a name holding
        # such a code itself (U+E000) would otherwise be set as the ligature's glyph.
        if self._unknown.search(text) is not None:
            self.learn(set(text))
        if self._ligature is not None:
            text = self._ligature(text)
        # Split as UTF-16 bytes: a line break is 00 0A, which no other pair of characters here
        # makes (no allowed character is U+0Axx), so the split falls between characters.
        return list(map(bytes.hex, text.encode("utf-16-be").split(b"\x00\n")))

    def wrap(self, paragraph: str, width: float) -> list[str]:
        """`paragraph` broken into lines of at most `width` points as QTextLayout breaks it with
        QTextOption.WrapAtWordBoundaryOrAnywhere: at line break opportunities (Qt's, through
        QTextBoundaryFinder), trailing spaces not counted, mid-word only for a word wider than a
        line. Widths are compared in Qt's 1/64 units. A paragraph with a ligature, a word wider
        than the line or marks this does not know to break as Qt does is broken by QTextLayout.
        Checked against QTextLayout in tests/gui/test_report_pdf_text.py."""
        # Where the lines break depends only on the widths: with digits all alike (DejaVu's
        # are), "U12 su001-srv65:nic1" breaks as "U00 su000-srv00:nic0", and "c1234" fits as
        # "c0000" does. Such shapes recur from cable to cable: each is laid out once.
        cache = self._cuts.get(width)
        if cache is None:
            cache = self._cuts[width] = {}
        key = paragraph.encode("utf-8").translate(self._digits)
        cuts = cache.get(key)
        if cuts is None:
            if len(cache) > _BREAKS_KEPT:
                cache.clear()
            lines = self._wrap(paragraph, width)
            cache[key] = list(accumulate(map(len, lines)))[:-1]
            return lines
        if not cuts:
            return [paragraph]
        return [paragraph[a:b] for a, b in zip([0, *cuts], [*cuts, len(paragraph)])]

    def _wrap(self, paragraph: str, width: float) -> list[str]:
        limit = round(width * 64) / 64
        advances = self.advances
        try:
            total = sum(map(advances.__getitem__, paragraph))
        except KeyError:
            self.encode(paragraph)
            total = sum(map(advances.__getitem__, paragraph))
        if total + self.most_bearing <= limit:  # nearly always: the line fits whole
            return [paragraph]
        if not paragraph.isascii():  # the bearings of accented glyphs are Qt's guess, not ours
            return [paragraph] if total + self.size / 2 <= limit else self._qt_wrap(paragraph, width)
        stripped = paragraph.rstrip(" ")
        if not stripped or total + self.bearings[stripped[-1]] <= limit:  # its spaces may stick out
            return [paragraph]
        if not _PLAIN.fullmatch(paragraph) or self._ligature is not None and self._ligature(paragraph) != paragraph:
            return self._qt_wrap(paragraph, width)
        cum = [0.0, *accumulate(map(advances.__getitem__, paragraph))]
        bearings = self.bearings

        def need(p: int) -> float:
            # A line ending before character p: up to its last character but a space, plus how
            # far that glyph reaches past its advance (Qt counts it: "A" at 7 px, 1 pt).
            while p and paragraph[p - 1] == " ":
                p -= 1
            return cum[p] + bearings[paragraph[p - 1]] if p else 0.0

        n = len(paragraph)
        lines: list[str] = []
        start = 0
        breaks = _breaks(paragraph)
        while need(n) - cum[start] > limit:
            target = cum[start] + limit
            # The last break whose line fits: none past the last character that fits, plus the
            # spaces after it; looked for from there back (a glyph's bearing may push it out).
            last = bisect_right(cum, target) - 1
            while last < n and paragraph[last] == " ":
                last += 1
            k = bisect_right(breaks, last) - 1
            while k >= 0 and breaks[k] > start and need(breaks[k]) > target:
                k -= 1
            if k < 0 or breaks[k] <= start:  # a word wider than the line, broken inside: as QTextLayout does it
                return self._qt_wrap(paragraph, width)
            best = breaks[k]
            lines.append(paragraph[start:best])
            start = best
        lines.append(paragraph[start:])
        return lines

    def _qt_wrap(self, paragraph: str, width: float) -> list[str]:
        layout = QTextLayout(paragraph, self._font)
        layout.setTextOption(_WRAP)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        return lines

    def width(self, text: str) -> float:
        """The advance of `text` (one line) in points, ligatures included, as Qt lays it out."""
        found = self._widths.get(text)
        if found is None:
            if len(self._widths) > _BREAKS_KEPT:
                self._widths.clear()
            found = self._widths[text] = self._width(text)
        return found

    def _width(self, text: str) -> float:
        if self._ligature is not None:
            text = self._ligature(text)
        try:
            return sum(map(self.advances.__getitem__, text))
        except KeyError:
            self.encode(text)
            return sum(map(self.advances.__getitem__, text))

    def learn(self, characters: Iterable[str]) -> None:
        """Learns each of `characters` not known yet (a text's new ones; in a parent, what its
        forked child learnt: a character's glyph and advance are Qt's, the same in both);
        raises NotInFace for one the face cannot set."""
        for ch in characters:
            if ch not in self.known:
                self._learn(ch)
        self._unknown = re.compile(f"[^{re.escape(''.join(sorted(self.known)))}]")

    def _learn(self, ch: str) -> None:
        if ch not in _ALLOWED:
            raise NotInFace(f"U+{ord(ch):04X}")
        glyphs = self.raw.glyphIndexesForString(ch)
        if len(glyphs) != 1 or not glyphs[0]:
            raise NotInFace(f"U+{ord(ch):04X} is not in {self.face.key[0]}")
        self._add(ch, glyphs[0], ch)

    def _add(self, code: str, glyph: int, text: str) -> None:
        if code == text:  # a ligature's code is not a character a text may hold for it
            self.known.add(code)
        self.face.glyphs[ord(code)] = glyph
        advance = self.raw.advancesForGlyphIndexes([glyph])[0].x() if len(text) > 1 else None
        advance = self.metrics.horizontalAdvance(text) if advance is None else advance
        self.advances[code] = advance
        self.bearings[code] = max(0.0, -self.metrics.rightBearing(text[-1]))
        self.most_bearing = max(self.most_bearing, self.bearings[code])
        self.widths_by_cid[ord(code)] = advance / self.size * 1000
        self.face.unicode[ord(code)] = text

    def widths_array(self) -> str:
        """/W: each code learnt, with its glyph's advance."""
        return " ".join(f"{c} [{w:.4f}]" for c, w in sorted(self.widths_by_cid.items()))


_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
# Line break classes are the same for every ASCII letter (AL) and every digit (NU): a text's
# break opportunities are those of its shape, which repeats from cable to cable.
_SHAPE = str.maketrans(
    {**{c: "a" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}, **{c: "0" for c in "0123456789"}}
)
_BREAKS: dict[str, list[int]] = {}
# Words of letters, digits and the marks of names and ports, one space apart (names, ends,
# "U12 su001-srv01:nic1"): these break as the boundary finder says. Around brackets, dashes and
# lone marks QTextLayout breaks where it does not, so other paragraphs are broken by QTextLayout.
_PLAIN = re.compile(r"\w[\w.:/#,+-]*(?: \w[\w.:/#,+-]*)* ?", re.ASCII)
_BREAKS_KEPT = 100_000


def _breaks(text: str) -> list[int]:
    """Where Qt may start a new line in `text` (positions 1 .. len - 1), by its shape."""
    shape = text.translate(_SHAPE)
    found = _BREAKS.get(shape)
    if found is None:
        if len(_BREAKS) > _BREAKS_KEPT:
            _BREAKS.clear()
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, shape)
        found = []
        while (p := finder.toNextBoundary()) != -1 and p < len(shape):
            if p > 0:
                found.append(p)
        _BREAKS[shape] = found
    return found


def _shaped(text: str, font: QFont) -> list[int]:
    """The glyph ids Qt sets `text` in (one line), as it would draw it."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine().setLineWidth(1e9)
    layout.endLayout()
    return [g for run in layout.glyphRuns() for g in run.glyphIndexes()]


def _ligatures(font: QFont, raw: QRawFont) -> dict[str, int]:
    """Sequences of printable ASCII characters Qt sets as one glyph in `font`: every pair is
    shaped, in bulk (a space between pairs), halved until the pairs that join are found; then
    each joining pair with a third character after it."""
    found: dict[str, int] = {}

    def probe(group: list[str]) -> None:
        text = " ".join(group)
        if _shaped(text, font) == list(raw.glyphIndexesForString(text)):
            return
        if len(group) == 1:
            glyphs = _shaped(group[0], font)
            if len(glyphs) == 1:
                found[group[0]] = glyphs[0]
            return
        probe(group[: len(group) // 2])
        probe(group[len(group) // 2 :])

    probe([a + b for a in _PROBE for b in _PROBE])
    pairs = list(found)
    if pairs:
        probe([pair + c for pair in pairs for c in _PROBE])
    return found


class FontSet:
    """The faces and sizes a document's text layer has used, by QFont (a report has a handful)."""

    def __init__(self) -> None:
        self.faces: dict[tuple[str, str], Face] = {}
        self.fonts: dict[str, PdfFont] = {}
        self._by_id: dict[int, PdfFont] = {}
        self._held: list[QFont] = []
        self.frozen = False
        self._known_then: dict[str, set[str]] = {}

    def freeze(self) -> None:
        """From now on a font not learnt yet raises NotLearnt instead of being learnt: a forked
        child's pages may use only fonts its parent's FontSet has named. Characters are still
        learnt: the child tells its parent which (learnt()), to learn them alike."""
        self.frozen = True
        self._known_then = {font.name: set(font.known) for font in self.fonts.values()}

    def learnt(self) -> dict[str, str]:
        """Since freeze(): per font resource name (/R1 ...), the characters learnt."""
        fonts = {font.name: font for font in self.fonts.values()}
        return {name: "".join(sorted(fonts[name].known - then)) for name, then in self._known_then.items()}

    def named(self, name: str) -> PdfFont:
        """The font whose resource name is `name`; KeyError when there is none."""
        for font in self.fonts.values():
            if font.name == name:
                return font
        raise KeyError(name)

    def font(self, font: QFont) -> PdfFont:
        """The PdfFont for `font`; raises NotInFace when its face cannot be embedded."""
        # The report's QFonts are a few cached objects (gui.report._font): looked up by identity,
        # as QFont.key() costs microseconds; each is kept alive in _held so its id stays its own.
        found = self._by_id.get(id(font))
        if found is not None:
            return found
        key = font.key()
        found = self.fonts.get(key)
        if found is None:
            if self.frozen:
                raise NotLearnt(f"font {key} not learnt yet")
            raw = QRawFont.fromFont(font)
            face_key = (raw.familyName(), raw.styleName())
            face = self.faces.get(face_key)
            if face is None:
                face = self.faces[face_key] = Face(raw, face_key)
            found = self.fonts[key] = PdfFont(face, font, f"R{len(self.fonts) + 1}")
        self._by_id[id(font)] = found
        self._held.append(font)
        return found

    def objects(self, first: int) -> tuple[list[bytes], dict[str, int]]:
        """The PDF objects of every face and size used, numbered from `first`, and per resource
        name its Type0 font's number."""
        out: list[bytes] = []
        numbers: dict[str, int] = {}
        face_numbers: dict[tuple[str, str], tuple[str, int, int, int]] = {}
        for key, face in self.faces.items():
            file_no, unicode_no, descriptor_no, map_no = (first + len(out) + k for k in range(4))
            base, data, descriptor = face.embedded()
            packed = zlib.compress(data, 6)
            out.append(_stream(f"/Length1 {len(data)} /Filter /FlateDecode", packed))
            out.append(_stream("/Filter /FlateDecode", zlib.compress(face.to_unicode(), 6)))
            out.append(f"<< {descriptor} /FontFile2 {file_no} 0 R >>".encode("ascii"))
            out.append(_stream("/Filter /FlateDecode", zlib.compress(face.cid_to_gid(), 6)))
            face_numbers[key] = (base, unicode_no, descriptor_no, map_no)
        for font in self.fonts.values():
            base, unicode_no, descriptor_no, map_no = face_numbers[font.face.key]
            cid_no = first + len(out)
            out.append(
                (
                    f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} "
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                    f"/FontDescriptor {descriptor_no} 0 R /CIDToGIDMap {map_no} 0 R /DW 1000 "
                    f"/W [{font.widths_array()}] >>"
                ).encode("ascii")
            )
            numbers[font.name] = first + len(out)
            out.append(
                (
                    f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H "
                    f"/DescendantFonts [{cid_no} 0 R] /ToUnicode {unicode_no} 0 R >>"
                ).encode("ascii")
            )
        return out, numbers


def _stream(entries: str, data: bytes) -> bytes:
    return f"<< {entries} /Length {len(data)} >>\nstream\n".encode("ascii") + data + b"\nendstream"
