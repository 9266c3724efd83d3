"""JSON and JSON Lines reading, streamed with the standard library only.

JSON Lines is read line by line. A JSON array (top level, or under a wrapper key such as
"mentions", "data" or "results") is read one element at a time: the C decoder parses each
element in place, and a small scanner that follows strings and brackets finds where a broken
element ends, so one malformed element is reported and skipped and the rest of the array goes
in. Memory stays bounded by the largest single element (capped at MAX_ELEMENT_CHARS).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson

from listener_app.formats.blocks import (
    BLOCK_BYTES,
    BLOCK_ENCODINGS,
    BlockRows,
    decode,
    encode,
    line_breaks,
    line_end,
    read_bytes,
    read_to_mark,
)
from listener_app.formats.blocks import spans as block_spans
from listener_app.formats.sniff import ImportFormatError, open_text, read_head

WRAPPER_KEYS = (
    "mentions", "data", "results", "items", "records", "posts", "entries", "hits", "documents",
    "articles", "statuses", "tweets", "reviews", "comments", "messages",
)  # fmt: skip
MAX_ELEMENT_CHARS = 64 * 1024 * 1024
READ_CHARS = 1 << 20
_STRUCTURE = re.compile(r'[\[\]{}"]')
_IN_STRING = re.compile(r'["\\]')
_SCALAR_END = re.compile(r"[,\]}\s]")
_FIRST_ELEMENT = re.compile(r"\[\s*(\S)")
_SPACE = " \t\r\n\ufeff"
# orjson reads up to 1,024 levels; past that json's recursive decoder runs out of stack.
TOO_DEEP = "nested too deeply (objects or arrays more than about 1,000 levels inside each other)"


class _TooBig(Exception):
    pass


class _Cursor:
    """A window on a text stream: `buffer[pos:]` is what has not been consumed yet."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.base = 0  # characters of the stream before `buffer`
        self.eof = False

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(READ_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos :] + chunk
        self.base += self.pos
        self.pos = 0
        return True

    def peek(self, skip: str = _SPACE) -> str:
        """The next character that is not in `skip` ("" at the end), consuming those before it."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in skip:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.fill():
                return ""

    def value_end(self, *, discard: bool = False) -> int | None:
        """Where the JSON value at `pos` ends (reading more as needed); None if the stream ends
        first. The value need not be valid JSON, only balanced. `discard` drops what was scanned
        (for skipping a value without holding it)."""
        if self.buffer[self.pos] not in '{["':
            offset = 0
            while True:
                found = _SCALAR_END.search(self.buffer, self.pos + offset)
                if found:
                    return found.start()
                offset = len(self.buffer) - self.pos
                if not self.fill():
                    return len(self.buffer)
        depth = 0
        in_string = False
        offset = 0
        while True:
            i = self.pos + offset
            buffer = self.buffer
            while True:
                found = (_IN_STRING if in_string else _STRUCTURE).search(buffer, i)
                if found is None:
                    break
                char, i = found.group(), found.end()
                if in_string:
                    if char == "\\":
                        i += 1  # skip the escaped character (it may be in the next chunk)
                        continue
                    in_string = False
                elif char == '"':
                    in_string = True
                    continue
                elif char in "{[":
                    depth += 1
                    continue
                else:
                    depth -= 1
                if depth <= 0:
                    return i
            if discard:
                self.pos = min(i, len(buffer))
            offset = i - self.pos
            if len(buffer) - self.pos > MAX_ELEMENT_CHARS:
                raise _TooBig
            if not self.fill():
                return None


def read_jsonl(path: Path, handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, line) for every non-blank line, not parsed yet: `parse_line` runs where
    the record is used (in a worker process for a big file)."""
    encoding = read_head(path, handle, "a JSON Lines file")
    for number, line in enumerate(open_text(handle, encoding), start=1):
        if line.strip():
            yield number, line


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Whole lines of a JSON Lines file, by place: read, decoded and split where they are parsed
    (a worker process), so only this small description crosses to it. A block numbers its lines
    from 1: whoever takes the blocks in order numbers them in the file (see `read`)."""

    path: Path
    offset: int
    size: int
    encoding: str

    def read(self) -> BlockRows:
        """Its lines, as (line number in the block, line) for every non-blank one, as
        `read_jsonl` gives them, with the line breaks it holds. Lines of a UTF-8 file with no \\r
        in the block stay bytes (parse_line reads them undecoded). (The breaks are counted here,
        where the block is read anyway: the process that cuts the file into blocks reads only
        around the cuts, not the whole file, which took it 0.11 s of a 200,000-row import.)"""
        data = read_bytes(self.path, self.offset, self.size)
        return BlockRows(self._lines(data), line_breaks(data))

    def _lines(self, data: bytes) -> Iterator[tuple[int, str | bytes]]:
        if self.encoding in ("utf-8", "utf-8-sig") and b"\r" not in data:
            for number, raw in enumerate(data.split(b"\n"), start=1):
                if (
                    raw
                    and not raw.isspace()
                    and not (raw.lstrip()[0] >= 0x80 and decode(raw, "utf-8").isspace())
                ):
                    yield number, raw
            return
        text = decode(data, self.encoding)
        # Lines end as a text stream ends them (\r\n, \n or a lone \r); without any \r a
        # split is the same, five times faster.
        lines = io.StringIO(text, newline="") if "\r" in text else text.split("\n")
        for number, line in enumerate(lines, start=1):
            if line and not line.isspace():
                yield number, line


def read_jsonl_blocks(
    path: Path, handle: BinaryIO, block_bytes: int = BLOCK_BYTES
) -> Iterator[LineBlock] | None:
    """The file in blocks of whole lines (about `block_bytes` each, the first few smaller), each
    cut where the line that goes on at its size ends, or None when its encoding cannot be cut
    that way (UTF-16)."""
    encoding = read_head(path, handle, "a JSON Lines file")
    if encoding not in BLOCK_ENCODINGS:
        return None
    spans = block_spans(handle, len(BLOCK_ENCODINGS[encoding]), path.stat().st_size, block_bytes)
    return (LineBlock(path, offset, size, encoding) for offset, size in spans)


def parse_line(line: str | bytes) -> Any:
    """A JSON Lines line's value, or a ValueError saying what is wrong with it.

    orjson reads a line in under half the time json does (UTF-8 bytes without decoding them).
    What it refuses (a malformed line, but also NaN, integers past 64 bits, lone surrogates,
    bytes that are not UTF-8, all of which json reads) is read again by json, which also words
    the error."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    if isinstance(line, bytes):
        line = decode(line, "utf-8")
    try:
        return json.loads(line.rstrip("\r\n"))  # an error's column is then on the line itself
    except json.JSONDecodeError as exc:
        return ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return ValueError(TOO_DEEP)


def read_json(path: Path, handle: BinaryIO) -> Iterator[tuple[int, Any]]:
    """(array index, value or ValueError) for the elements of the file's array of records."""
    encoding = read_head(path, handle, "a JSON file")
    yield from _elements(_array(path, lambda: open_text(handle, encoding), handle))


def _array(path: Path, open_stream: Callable[[], TextIO], handle: BinaryIO) -> _Cursor:
    """A cursor just inside the file's array of records (top level, or under a wrapper key);
    ImportFormatError when there is none. `open_stream` reads the file from where `handle` is."""
    start = handle.tell()
    stream = open_stream()
    cursor = _Cursor(stream)
    first = cursor.peek()
    if first == "[":
        cursor.pos += 1
        return cursor
    if first != "{":
        raise ImportFormatError(f"{path.name} is not JSON (it should start with [ or {{)")
    found, fallback = _find_list(path, cursor, None)
    if found is None and fallback is not None:  # a list of objects under a key of its own
        stream.detach()
        handle.seek(start)
        cursor = _Cursor(open_stream())
        cursor.peek()
        found, _ = _find_list(path, cursor, fallback)
    if found is None:
        keys = ", ".join(f'"{k}"' for k in WRAPPER_KEYS[:4])
        raise ImportFormatError(
            f"{path.name} has no list of records (expected an array, or one under {keys}...)"
        )
    return cursor


def _elements(cursor: _Cursor, stop: Callable[[_Cursor], bool] | None = None) -> Iterator[tuple[int, Any]]:
    """The elements of the array whose "[" was just consumed (up to the one where `stop` says
    to, if it does)."""
    decoder = json.JSONDecoder()
    index = 0
    while True:
        char = cursor.peek(_SPACE + ",")
        if char == "]":
            return
        if char == "":
            yield index, ValueError("the file ends before its array is closed (truncated?)")
            return
        if stop is not None and stop(cursor):
            return
        try:
            value, end = decoder.raw_decode(cursor.buffer, cursor.pos)
            if end >= len(cursor.buffer) and not cursor.eof:
                raise ValueError("possibly cut at the end of the buffer")
        except (ValueError, RecursionError):
            try:
                scanned = cursor.value_end()
            except _TooBig:
                yield index, ValueError("an element over 64 MB; the rest of the file was skipped")
                return
            if scanned is None:
                yield index, ValueError("unclosed string or bracket; the rest of the file was skipped")
                return
            end = max(scanned, cursor.pos + 1)  # a stray "}" is an element of its own, not one without end
            try:
                value = json.loads(cursor.buffer[cursor.pos : end])
            except json.JSONDecodeError as exc:
                value = ValueError(f"not valid JSON ({exc.msg})")
            except RecursionError:
                value = ValueError(TOO_DEEP)
        cursor.pos = end
        yield index, value
        index += 1


class _BlockStream:
    """A block of a JSON file as a text stream: the block's text, about READ_CHARS bytes of it
    at a time (decoded whole, a block with one emoji in it took four bytes a character), then,
    only when asked, the file after it the same way (an element that goes on past the block's
    end). Pieces end at line ends, or in an array written on one line at commas (a comma is one
    byte in every encoding blocks are cut in, never part of a character)."""

    def __init__(self, block: ArrayBlock, found: BlockRows) -> None:
        self.block, self.found = block, found
        self.data = read_bytes(block.path, block.offset, block.size)
        self.end = b"," if block.inline else b"\n"
        self.at = 0  # bytes of the block given
        self.length = 0  # characters of the block given
        # each piece read past the end, with its bytes and whether they encode it exactly
        self.past: list[tuple[str, int, bool]] = []
        self.past_bytes = 0  # their bytes in all
        self.stopped = False  # at an element of the next block's (else the reading ended here)

    def read(self, _: int = -1) -> str:
        if self.at < len(self.data):
            end = self.data.find(self.end, self.at + READ_CHARS) + 1 or len(self.data)
            piece = decode(self.data[self.at : end], self.block.encoding)
            self.at = end
            self.length += len(piece)
            return piece
        offset = self.block.offset + self.block.size + self.past_bytes
        data = read_to_mark(self.block.path, offset, self.end, READ_CHARS)
        if not data:
            return ""
        text = decode(data, self.block.encoding)
        self.past.append((text, len(data), encode(text, self.block.encoding) == data))
        self.past_bytes += len(data)
        return text

    def stops(self, cursor: _Cursor) -> bool:
        """Whether the element at `cursor` is the next block's: it starts past this one's end,
        with nothing but spaces and commas before it in its piece (the next block starts with
        that piece), or anywhere in a piece whose bytes are known (none fell back to other
        characters). Then the bytes read past the end before it are `overrun`."""
        at = cursor.base + cursor.pos - self.length
        if self.at < len(self.data) or at < 0:
            return False
        before = 0
        for piece in self.past:
            if at < len(piece[0]):
                break
            at -= len(piece[0])
            before += piece[1]
        else:
            return False
        text, _, exact = piece
        if text[:at].strip(_SPACE + ","):
            if not exact:
                return False
            before += len(encode(text[:at], self.block.encoding))
        self.found.overrun = before
        self.stopped = True
        return True


@dataclass(frozen=True, slots=True)
class ArrayBlock:
    """Elements of a JSON file's array of records, by place, read and parsed where they are used
    (a worker process): those that start in the block, the last read on past its end if it goes
    on there. Numbered from 0 in the block (whoever takes the blocks in order numbers them in
    the array, adding the elements of the blocks before: `BlockRows.line_breaks`). The block
    where the reading ends (the array's end, or an element without end, which skips the rest as
    the streaming reader does) counts the rest of the file as read: a wrapper's other keys hold
    no records."""

    path: Path
    offset: int
    size: int
    encoding: str
    total: int  # the file's size
    inline: bool = False  # elements do not start lines of their own (an array on one line)

    def read(self) -> BlockRows:
        found = BlockRows(iter(()))
        found.records = self._elements(found)
        return found

    def _elements(self, found: BlockRows) -> Iterator[tuple[int, Any]]:
        stream = _BlockStream(self, found)
        cursor = _Cursor(stream)  # type: ignore[arg-type]
        for index, value in _elements(cursor, stream.stops):
            found.line_breaks = index + 1
            yield index, value
        if not stream.stopped:  # the array's end, the file's, or an element that skips the rest
            found.overrun = self.total - self.offset - self.size

    def starting_at(self, offset: int) -> ArrayBlock:
        """The part of this block from byte `offset` on, to read again from there."""
        return replace(self, offset=offset, size=self.offset + self.size - offset)


# A JSON array whose elements each start a line of their own (as most exports write them, one a
# line or indented) is cut before a line that opens an element as the first one does (the same
# indentation, then "{") after a line that ends with a comma; at most this far after the block's
# size (and else at the end of the line there: a cut inside an element is found out by the block
# before it, as for CSV). Other arrays of objects are cut at commas (_inline_blocks).
ARRAY_CUT_BYTES = 1 << 20
_ELEMENT_LINE = re.compile(rb"\n([ \t]*)\{")


def read_json_blocks(
    path: Path, handle: BinaryIO, block_bytes: int = BLOCK_BYTES
) -> Iterator[ArrayBlock] | None:
    """The array of records of a JSON file in blocks of whole lines (see blocks.spans), or of
    whole elements when they do not start lines of their own (an array written on one line);
    None when its encoding cannot be cut so (UTF-16), or its elements are not objects."""
    encoding = read_head(path, handle, "a JSON file")
    if encoding not in BLOCK_ENCODINGS:
        return None
    bom = len(BLOCK_ENCODINGS[encoding])
    handle.seek(bom)
    # Read as Latin-1, one character a byte: where the array starts is then a byte offset (its
    # marks, brackets and quotes, are the same bytes in UTF-8 and cp1252).
    cursor = _array(path, lambda: io.TextIOWrapper(handle, encoding="latin-1", newline=""), handle)
    cursor.peek(_SPACE + ",")
    first = bom + cursor.base + cursor.pos
    cursor.stream.detach()  # (the handle stays open: the blocks are cut with it)
    handle.seek(0)
    head = handle.read(first + 1)
    line = head.rfind(b"\n") + 1
    indent = head[line:first]
    if head[first:] != b"{":
        return None  # an array of something else than records
    total = path.stat().st_size
    if not line or indent.strip(b" \t"):  # the first element does not start a line of its own
        handle.seek(first)
        key = _FIRST_KEY.match(handle.read(ARRAY_CUT_BYTES))
        return _inline_blocks(
            path, handle, first, total, encoding, block_bytes, key.group(1) if key else None
        )

    def cut(handle: BinaryIO, at: int, total: int) -> int:
        end = line_end(handle, at, total)
        handle.seek(end - 1)
        window = handle.read(ARRAY_CUT_BYTES)
        for found in _ELEMENT_LINE.finditer(window):
            before = window[max(0, found.start() - 256) : found.start()].rstrip()
            if found.group(1) == indent and before.endswith(b","):
                return end + found.start()
        return end

    spans = block_spans(handle, first, total, block_bytes, cut)
    return (ArrayBlock(path, offset, size, encoding, total) for offset, size in spans)


# An array written on one line (or with elements that do not start lines of their own) is cut
# before a "{" that follows a comma and opens an object with the first element's first key, as
# elements of an export do, else before any "{" after a comma (an object nested in an element
# may look so, and a string may hold one: a cut inside an element is found out by the block
# before it), in the first ARRAY_CUT_BYTES after the block's size that hold one (a block is
# never cut inside a list of thousands of numbers, to read them as elements only to drop them).
_FIRST_KEY = re.compile(rb'\{\s*("(?:[^"\\]|\\.)*")\s*:')
_ANY_OPENING = re.compile(rb",\s*(\{)")
CUT_OVERLAP = 1024  # the windows searched overlap by this much (an opening may span two)


def _opening(key: bytes | None) -> re.Pattern[bytes]:
    """Where an element that starts with `key` (quoted, as in the file) opens after a comma."""
    return re.compile(rb",\s*(\{)" + (rb"\s*" + re.escape(key) + rb"\s*:" if key else b""))


def _inline_blocks(
    path: Path, handle: BinaryIO, first: int, total: int, encoding: str, block_bytes: int, key: bytes | None
) -> Iterator[ArrayBlock]:
    """The blocks of an array whose elements do not start lines of their own (see above)."""
    opening = _opening(key)

    def cut(handle: BinaryIO, at: int, total: int) -> int:
        position = at
        while position < total:
            handle.seek(position)
            window = handle.read(ARRAY_CUT_BYTES)
            found = opening.search(window) or _ANY_OPENING.search(window)
            if found:
                return position + found.start(1)
            if len(window) < ARRAY_CUT_BYTES:
                break
            position += ARRAY_CUT_BYTES - CUT_OVERLAP
        return total

    spans = block_spans(handle, first, total, block_bytes, cut)
    return (ArrayBlock(path, offset, size, encoding, total, inline=True) for offset, size in spans)


def _find_list(path: Path, cursor: _Cursor, wanted: str | None) -> tuple[str | None, str | None]:
    """Walk the wrapper object at `cursor` to the array to read (cursor left just inside it).

    Returns (key found, or None; the first other key holding a list of objects, or None).
    """
    cursor.pos += 1
    fallback: str | None = None
    while True:
        char = cursor.peek(_SPACE + ",")
        if char in ("}", ""):
            return None, fallback
        end = cursor.value_end() if char == '"' else None
        try:
            key = json.loads(cursor.buffer[cursor.pos : end]) if end else None
        except json.JSONDecodeError:
            key = None
        if not isinstance(key, str):
            raise ImportFormatError(f"{path.name} is not valid JSON")
        cursor.pos = end or cursor.pos
        if cursor.peek() != ":":
            raise ImportFormatError(f"{path.name} is not valid JSON (expected ':' after \"{key}\")")
        cursor.pos += 1
        following = cursor.peek()
        if following == "":
            raise ImportFormatError(f"{path.name} is not valid JSON (truncated?)")
        if following == "[":
            if key == wanted or (wanted is None and key.lower() in WRAPPER_KEYS):
                cursor.pos += 1
                return key, None
            if fallback is None and _starts_with_object(cursor):
                fallback = key
        try:
            skipped = cursor.value_end(discard=True)
        except _TooBig:
            skipped = None
        if skipped is None:
            raise ImportFormatError(f"{path.name} is not valid JSON (truncated?)")
        cursor.pos = skipped


def _starts_with_object(cursor: _Cursor) -> bool:
    """Whether the array at `cursor` starts with an object (the cursor does not move)."""
    while True:
        found = _FIRST_ELEMENT.match(cursor.buffer, cursor.pos)
        if found:
            return found.group(1) == "{"
        if not cursor.fill():
            return False
