"""A JSON file's array of records cut into blocks of lines, each parsed where it is prepared (a
worker process), reads the elements the streaming reader reads, numbered the same: a cut inside
an element is found out by the block before (it reads on past its end to finish it), and the
block where the array ends stops the reading (a wrapper's other keys hold no records)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import listener_app.formats.blocks as blocks_module
import listener_app.formats.json_reader as json_reader
from listener_app.formats.json_reader import read_json, read_json_blocks
from tests.formats.block_files import json_array, post, read_in_order


def _expected(path: Path) -> list:
    with path.open("rb") as handle:
        return [
            (number, repr(value) if isinstance(value, Exception) else value)
            for number, value in read_json(path, handle)
        ]


def _found(path: Path, block_bytes: int) -> tuple[list, int]:
    with path.open("rb") as handle:
        found, again = read_in_order(path, read_json_blocks(path, handle, block_bytes))
    return [
        (number, repr(value) if isinstance(value, Exception) else value) for number, value in found
    ], again


@pytest.mark.parametrize("indent", [None, 2, "\t"], ids=["one-a-line", "indented", "tabs"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("checked", [True, False], ids=["checked-cuts", "blind-cuts"])
def test_blocks_read_the_elements_the_streaming_reader_reads(
    tmp_path, monkeypatch, indent, encoding, checked
):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 64)
    monkeypatch.setattr(json_reader, "READ_CHARS", 300)  # blocks decoded, and elements read, in pieces
    path = tmp_path / "export.json"
    path.write_bytes(json_array(7, indent).encode(encoding))
    expected = _expected(path)
    if not checked:  # cut where the line at a block's size ends, inside an element or not
        monkeypatch.setattr(json_reader, "_ELEMENT_LINE", json_reader.re.compile(rb"(?!)"))
    found, again = _found(path, 2500)
    assert found == expected
    assert any(isinstance(value, str) for _, value in expected)  # the broken elements, reported
    if checked:
        assert again == 0
    elif indent is not None:
        assert again > 0


@pytest.mark.parametrize("inline", [",", ", "], ids=["minified", "spaced"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("checked", [True, False], ids=["checked-cuts", "blind-cuts"])
def test_an_array_on_one_line_is_cut_between_elements_and_read_as_the_streaming_reader_reads_it(
    tmp_path, monkeypatch, inline, encoding, checked
):
    """JSON.stringify's and json.dumps' arrays: cut before an element that opens with the first
    element's key, or (blind) after any comma, inside an element or not."""
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 64)
    monkeypatch.setattr(json_reader, "READ_CHARS", 300)
    path = tmp_path / "export.json"
    path.write_bytes(json_array(7, None, inline=inline).encode(encoding))
    expected = _expected(path)
    if not checked:
        monkeypatch.setattr(json_reader, "_opening", lambda key: json_reader.re.compile(rb",()"))
    found, again = _found(path, 2500)
    assert found == expected
    assert any(isinstance(value, str) for _, value in expected)  # the broken elements, reported
    assert (again == 0) if checked else (again > 0)


def test_objects_and_strings_that_look_like_an_element_are_read_inside_theirs(tmp_path, monkeypatch):
    """Objects nested in an element that open with its first key, and strings that hold one: a
    cut before them is found out by the block before (it reads its element to the end), and the
    block after is read again from where that one stopped."""
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    monkeypatch.setattr(json_reader, "READ_CHARS", 200)
    rng = random.Random(5)
    records = [post(rng, n) for n in range(200)]
    for record in records[::3]:
        record["replies"] = [{"id": f"r-{n}", "text": "a reply, with a comma"} for n in range(4)]
    for record in records[1::5]:
        record["text"] = 'it said ,{"id": "fake"} and é中😀 after it'
    path = tmp_path / "export.json"
    path.write_text(json.dumps(records, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    expected = _expected(path)
    found, again = _found(path, 2000)
    assert found == expected and len(found) == 200
    assert again > 0


@pytest.mark.parametrize("checked", [True, False], ids=["checked-cuts", "blind-cuts"])
def test_an_array_on_one_line_with_undecodable_bytes_and_long_lists_reads_as_streamed(
    tmp_path, monkeypatch, checked
):
    """A UTF-8 file with stray cp1252 bytes (they read as cp1252 there, so the bytes a block read
    past its end are not known from its text: it reads on to an element that starts a piece),
    and elements holding lists of thousands of numbers that a cut may fall inside."""
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 64)
    monkeypatch.setattr(json_reader, "READ_CHARS", 300)
    rng = random.Random(8)
    parts = []
    for number in range(120):
        record = post(rng, number)
        if number % 9 == 4:
            record["scores"] = list(range(3000))
        text = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if number % 2 and number > 40:  # cp1252 bytes in a UTF-8 file (past its first 64 KB)
            text = text[:-1] + b',"place":"' + b"Caf\xe9, " * 6 + b'Caf\xe9"}'
        parts.append(text)
    path = tmp_path / "export.json"
    path.write_bytes(b"[" + b",".join(parts) + b"]")
    expected = _expected(path)
    with path.open("rb") as handle:
        assert json_reader.read_head(path, handle, "a JSON file") == "utf-8"
    assert (
        sum("Café, Café" in value.get("place", "") for _, value in expected if isinstance(value, dict)) == 40
    )
    if not checked:
        monkeypatch.setattr(json_reader, "_opening", lambda key: json_reader.re.compile(rb",()"))
    found, again = _found(path, 3000)
    assert found == expected and len(found) == 120
    assert (again == 0) if checked else (again > 0)


@pytest.mark.parametrize("newline", ["\n", ""], ids=["lines", "on-one-line"])
def test_the_array_under_a_wrapper_ends_the_reading(tmp_path, monkeypatch, newline):
    """Records under "mentions", a wrapper's keys before and after them: the objects after the
    array's end are no records (though they open with the records' first key)."""
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    rng = random.Random(3)
    records = f",{newline}".join(json.dumps(post(rng, n)) for n in range(80))
    after = f",{newline}".join(json.dumps({"id": f"not-a-record-{n}", "text": "meta"}) for n in range(80))
    text = (
        f'{{"meta": {{"query": "acme"}},{newline}"mentions": [{newline}{records}{newline}],{newline}'
        f'"facets": [{newline}{after}{newline}]}}{newline}'
    )
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    expected = _expected(path)
    found, _ = _found(path, 2000)
    assert found == expected and len(found) == 80


def test_a_truncated_array_reports_it_at_the_same_number(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    path = tmp_path / "export.json"
    path.write_text(json_array(5, None, broken=False).rsplit(",\n", 3)[0] + ",\n", encoding="utf-8")
    expected = _expected(path)
    found, _ = _found(path, 2000)
    assert found == expected
    assert "truncated" in found[-1][1]


def test_an_array_of_other_things_or_in_utf16_is_read_by_the_streaming_reader(tmp_path):
    path = tmp_path / "export.json"
    rng = random.Random(1)
    path.write_text(json.dumps([[n, "a list"] for n in range(20)]), encoding="utf-8")
    with path.open("rb") as handle:
        assert read_json_blocks(path, handle, 4096) is None
    path.write_text(json.dumps([post(rng, n) for n in range(20)], indent=2), encoding="utf-16")
    with path.open("rb") as handle:
        assert read_json_blocks(path, handle, 4096) is None


def test_a_stray_closing_brace_is_one_bad_element(tmp_path):
    """It was read as an element without end, again and again: the import never ended."""
    path = tmp_path / "export.json"
    path.write_text('[{"id": "a", "text": "one"}}, {"id": "b", "text": "two"}]', encoding="utf-8")
    found = _expected(path)
    assert [number for number, _ in found] == [0, 1, 2]
    assert found[2][1] == {"id": "b", "text": "two"} and "not valid JSON" in found[1][1]


def test_an_element_too_big_skips_the_rest_as_the_streaming_reader_does(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 600)
    monkeypatch.setattr(json_reader, "READ_CHARS", 100)
    monkeypatch.setattr(json_reader, "MAX_ELEMENT_CHARS", 300)  # (64 MB in use)
    path = tmp_path / "export.json"
    lines = json_array(4, None, broken=False).splitlines()
    lines[30] = lines[30].replace('"text": "', '"text": [[' + "x, " * 200, 1)  # broken, and too big
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = _expected(path)
    found, _ = _found(path, 2000)
    assert found == expected
    assert len(found) == 30 and "the rest of the file was skipped" in found[-1][1]
