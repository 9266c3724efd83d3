"""An XLSX sheet small enough to hold is read whole by calamine, a bigger one streamed by
openpyxl: both give the same header, row numbers and cells."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

import listener_app.formats.xlsx_reader as xlsx_reader
from listener_app.formats.sniff import ImportFormatError
from listener_app.formats.xlsx_reader import read_xlsx


def _book(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mentions report for Acme"])  # a title block above the header
    sheet.append([])
    sheet.append(["id", "text", "date", "time", "reach", "ratio", "flag", "tags"])
    sheet.append(
        [12345, "Hello from a spreadsheet", datetime(2026, 4, 1, 9, 30), time(9, 30), 1200, 0.5, True, None]
    )
    sheet.append(["00123", " spaced ", date(2026, 4, 2), None, 3.0, 1e20, False, "a, b"])
    sheet.append([])  # an empty row: left out, the numbers after it kept
    sheet.append([-7, '=HYPERLINK("x")', "someday", None, 2**60, -0.0, None, None, "past the header"])
    book.save(path)
    return path


def _read(path, whole: bool, monkeypatch):
    monkeypatch.setattr(xlsx_reader, "WHOLE_SHEET_BYTES", 1 << 30 if whole else 0)
    header, rows, close = read_xlsx(path, lambda cells: "text" in cells)
    try:
        return header, list(rows)
    finally:
        close()


def test_both_readers_give_the_same_rows(tmp_path, monkeypatch):
    path = _book(tmp_path / "report.xlsx")
    calls = []
    for name in ("_read_whole", "_stream"):
        real = getattr(xlsx_reader, name)
        monkeypatch.setattr(
            xlsx_reader, name, lambda p, real=real, name=name: (calls.append(name), real(p))[1]
        )
    whole = _read(path, True, monkeypatch)
    streamed = _read(path, False, monkeypatch)
    assert calls == ["_read_whole", "_stream"]
    header, rows = whole
    assert header == ["id", "text", "date", "time", "reach", "ratio", "flag", "tags"]
    assert [number for number, _ in rows] == [4, 5, 7]
    assert rows[0][1] == [
        12345,
        "Hello from a spreadsheet",
        datetime(2026, 4, 1, 9, 30),
        time(9, 30),
        1200,
        0.5,
        True,
        None,
    ]
    assert type(rows[0][1][0]) is int and type(rows[1][1][4]) is int  # whole numbers: ints, as openpyxl gives
    assert rows[1][1][5] == 1e20 and type(rows[1][1][5]) is float  # past 2**53: as the double it is
    assert rows[2][1][1] is None  # a formula without a stored value
    assert rows[1][1][2] == datetime(2026, 4, 2)  # a date cell: a datetime at midnight, as openpyxl gives
    assert (header, rows) == streamed


@pytest.mark.parametrize("whole", [True, False], ids=["calamine", "openpyxl"])
def test_a_workbook_that_is_not_one_is_refused_in_a_sentence(tmp_path, monkeypatch, whole):
    path = tmp_path / "broken.xlsx"
    _book(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"xl/worksheets/sheet1.xml")  # the sheet's local header: its data damaged
    data[start + 40 : start + 400] = bytes(360)
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError, match=r"broken\.xlsx"):
        _read(path, whole, monkeypatch)


@pytest.mark.parametrize("whole", [True, False], ids=["calamine", "openpyxl"])
def test_a_sheet_cut_short_is_refused_where_it_breaks(tmp_path, monkeypatch, whole):
    import zipfile

    plain = _book(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    cut = xml[: xml.index(b'<row r="5"')] + b'<row r="5"><c r="A5" t="inlineStr"><is><t>unfinished'
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(
                item.filename, cut if item.filename.endswith("sheet1.xml") else old.read(item.filename)
            )
    monkeypatch.setattr(xlsx_reader, "WHOLE_SHEET_BYTES", 1 << 30 if whole else 0)
    read = []
    with pytest.raises(ImportFormatError, match=r"cut\.xlsx") as refused:
        _, rows, close = read_xlsx(path, lambda cells: "text" in cells)
        try:
            read.extend(number for number, _ in rows)
        finally:
            close()
    if not whole:  # streamed: the rows before the break are read, and the message says where
        assert read == [4] and "damaged after row 4" in str(refused.value)


def _sheet_with(tmp_path, name: str, cells: bytes):
    import zipfile

    plain = tmp_path / "plain.xlsx"
    book = Workbook()
    book.active.append(["text", "date"])
    book.save(plain)
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>date</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>a post</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>2026-01-01</t></is></c></row>' + cells + b"</sheetData></worksheet>"
    )
    path = tmp_path / name
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(
                item.filename, sheet if item.filename.endswith("sheet1.xml") else old.read(item.filename)
            )
    return path


@pytest.mark.parametrize(
    ("far", "whole"),
    [
        (b'<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row>', False),
        (b'<row r="1048576"><c r="C1048576"><v>1</v></c></row>', False),
        (b'<row r="9000"><c r="AZ9000"><v>1</v></c></row>', True),  # 52 x 9,999 cells at most
        (b'<row r="90000"><c r="AZ90000"><v>1</v></c></row>', False),
        (b'<row r="3"><c r="A12345678"><v>1</v></c></row>', False),  # past the last row a sheet has
        (b'<row r="3"><c r="ABCD3"><v>1</v></c></row>', False),  # past its last column
    ],
    ids=["XFD100000", "C1048576", "AZ9000", "AZ90000", "A12345678", "ABCD3"],
)
def test_a_stray_cell_far_away_is_read_streamed_not_whole(tmp_path, monkeypatch, far, whole):
    """calamine holds every cell of the rectangle up to the last one a cell names, filled or
    not, and aborts the process when it cannot (XFD100000 would be 52 GB): a small workbook
    naming a far cell is streamed by openpyxl instead."""
    path = _sheet_with(tmp_path, "stray.xlsx", far)
    calls = []
    for name in ("_read_whole", "_stream"):
        real = getattr(xlsx_reader, name)
        monkeypatch.setattr(
            xlsx_reader, name, lambda p, real=real, name=name: (calls.append(name), real(p))[1]
        )
    header, rows, close = read_xlsx(path, lambda cells: "text" in cells)
    first = next(rows)
    close()
    assert calls == ["_read_whole" if whole else "_stream"]
    assert header == ["text", "date"] and first == (2, ["a post", "2026-01-01"])


def test_a_preview_streams_a_sheet_that_declares_its_dimension(tmp_path, monkeypatch):
    """A preview reads the first rows only: openpyxl streams them at once where every sheet says
    its <dimension> (as Excel writes it); without one, openpyxl would read the whole sheet to
    size it, and calamine reads it whole faster."""
    import re
    import zipfile

    declared = _book(tmp_path / "declared.xlsx")
    with zipfile.ZipFile(declared) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<dimension ref=" in xml[: xlsx_reader.DIMENSION_WITHIN]
    undeclared = tmp_path / "undeclared.xlsx"
    with zipfile.ZipFile(declared) as old, zipfile.ZipFile(undeclared, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(
                item.filename, re.sub(rb"<dimension[^>]*/>", b"", data) if b"<dimension" in data else data
            )
    calls = []
    for name in ("_read_whole", "_stream"):
        real = getattr(xlsx_reader, name)
        monkeypatch.setattr(
            xlsx_reader, name, lambda p, real=real, name=name: (calls.append(name), real(p))[1]
        )
    results = []
    for path, sampling in ((declared, True), (undeclared, True), (declared, False)):
        header, rows, close = read_xlsx(path, lambda cells: "text" in cells, sampling=sampling)
        results.append((header, next(rows)))
        close()
    assert calls == ["_stream", "_read_whole", "_read_whole"]
    assert results[0] == results[1] == results[2]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _as_excel_writes_it(path):
    """A workbook in the shape Excel saves: shared strings, dates as serial numbers styled with
    a built-in (22) and a custom date format, a declared dimension, a styled empty cell."""
    import zipfile

    strings = ["Message", "Date", "Custom date", "Reach", "Verified", "Posted from Excel", "Café, naïve"]
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="'
        'http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship '
        f'Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">'
        '<sheets><sheet name="Mentions" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
        f'Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/><Relationship Id="rId3" '
        f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}"><numFmts count="1">'
        '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts><fonts count="1"><font><sz '
        'val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/>'
        '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0" xfId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
        'builtinId="0"/></cellStyles></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="7" '
        f'uniqueCount="7">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        '<dimension ref="A1:E3"/><sheetData>'
        '<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>'
        '<row r="2" spans="1:5"><c r="A2" t="s"><v>5</v></c><c r="B2" s="1"><v>46113.395833333336</v></c>'
        '<c r="C2" s="2"><v>46114.5</v></c><c r="D2"><v>1200</v></c><c r="E2" t="b"><v>1</v></c></row>'
        '<row r="3" spans="1:5"><c r="A3" t="s"><v>6</v></c><c r="B3" s="1"><v>46115</v></c>'
        '<c r="C3" s="2"/><c r="D3"><v>0.5</v></c><c r="E3" s="1"/></row>'
        "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text.encode())
    return path


def test_a_workbook_as_excel_saves_it_reads_alike_both_ways(tmp_path, monkeypatch):
    path = _as_excel_writes_it(tmp_path / "excel.xlsx")
    whole = _read(path, True, monkeypatch)
    streamed = _read(path, False, monkeypatch)
    assert whole[0] == streamed[0] == ["Message", "Date", "Custom date", "Reach", "Verified"]
    assert (
        [cells for _, cells in whole[1]]
        == [cells for _, cells in streamed[1]]
        == [
            ["Posted from Excel", datetime(2026, 4, 1, 9, 30), datetime(2026, 4, 2, 12, 0), 1200, True],
            ["Café, naïve", datetime(2026, 4, 3), None, 0.5, None],
        ]
    )


def test_a_workbook_as_excel_saves_it_imports_with_its_dates(ws, tmp_path):
    from listener_app.workspace.importing import import_file

    report = import_file(ws, _as_excel_writes_it(tmp_path / "excel.xlsx"), source="facebook", score=False)
    assert report.ingest.inserted == 2 and report.errors == [] and report.ingest.undated == 0
    stored = dict(ws.execute("SELECT text, published_at FROM mentions"))
    assert stored == {"Posted from Excel": "2026-04-01T09:30:00Z", "Café, naïve": "2026-04-03T00:00:00Z"}
