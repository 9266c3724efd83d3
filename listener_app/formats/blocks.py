"""Cutting a text file of records (JSON Lines, CSV) into blocks of whole lines, by place, so
that the process that cuts it reads only around the cuts and each block is read, decoded and
parsed where it is used (an import's worker processes).

A block numbers its lines from 1; whoever takes the blocks in order numbers them in the file,
adding the line breaks of the blocks before (`BlockRows.line_breaks`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from listener_app.formats.sniff import decode_errors

# Encodings in which a newline byte is always a newline (not part of another character), so a
# file can be cut into blocks of whole lines without decoding it; with the bytes of a BOM.
BLOCK_ENCODINGS = {"utf-8": b"", "utf-8-sig": codecs.BOM_UTF8, "cp1252": b""}
BLOCK_BYTES = 8 << 20  # about 15,000 lines of a typical export: one staging file
# The first blocks are smaller (from FIRST_BLOCK_BYTES, twice as big each time up to
# BLOCK_BYTES): the single writer, a big import's narrowest part, then gets its first rows in a
# tenth of the time a whole block takes a worker, instead of waiting.
FIRST_BLOCK_BYTES = 1 << 19
READ_BYTES = 1 << 16  # read at a time to find where the line at a block's end ends
# Towards the end of the file blocks shrink again, to a third of what is left (down to
# FIRST_BLOCK_BYTES): workers then finish together, instead of one working on a whole last block
# (half a second) while the other waits.
TAPER_SHARE = 3

# Where to cut near a byte: (handle, byte, file size) -> the offset of a line's start at or
# after it (the file's size at its end).
Cut = Callable[[BinaryIO, int, int], int]


class BlockRows:
    """A block's records ((number in the block, record) pairs), and what reading them found,
    complete once they are all read: the line breaks read (\\n, \\r\\n or a lone \\r; the next
    block's first line follows them) and the bytes read past the block's end (`overrun`: a CSV
    record whose quoted field goes on past the cut is read to its end, and the next block is
    then read again from there)."""

    __slots__ = ("line_breaks", "overrun", "records")

    def __init__(self, records: Iterator[tuple[int, Any]], line_breaks: int = 0) -> None:
        self.records = records
        self.line_breaks = line_breaks
        self.overrun = 0

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return self.records


def spans(
    handle: BinaryIO, start: int, total: int, block_bytes: int, cut: Cut | None = None
) -> Iterator[tuple[int, int]]:
    """(offset, size) of the blocks of a file of `total` bytes from byte `start`: about
    `block_bytes` each, the first few smaller and the last few tapering, each cut where a line
    ends (`cut`, by default the end of the line that goes on at the block's size)."""
    cut = cut or line_end
    offset = start
    size = min(FIRST_BLOCK_BYTES, block_bytes)
    while offset < total:
        end = cut(handle, offset + size, total)
        yield offset, end - offset
        offset = end
        size = min(2 * size, block_bytes, max(FIRST_BLOCK_BYTES, (total - end) // TAPER_SHARE))


def line_end(handle: BinaryIO, at: int, total: int) -> int:
    """Where the line that byte `at - 1` is part of ends (after its \\n), or the file's end: only
    the bytes from there to that line's end are read."""
    if at >= total:
        return total
    position = at - 1
    handle.seek(position)
    while piece := handle.read(READ_BYTES):
        found = piece.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(piece)
    return max(position, total)


def read_bytes(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def read_line(path: Path, offset: int) -> bytes:
    """The line of the file from byte `offset` to its \\n (what a block reads past its end)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.readline()


def read_to_mark(path: Path, offset: int, mark: bytes, size: int) -> bytes:
    """About `size` bytes of the file from byte `offset`, up to and with the last one-byte `mark`
    in them (on to the next one when there is none; to the file's end there): what a JSON
    block reads past its end, to a line end (or, in an array written on one line, a comma), in
    pieces that end between characters."""
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(size)
        if len(data) < size:  # the file's end
            return data
        last = data.rfind(mark)
        if last >= 0:
            return data[: last + 1]
        parts = [data]
        while piece := handle.read(READ_BYTES):
            found = piece.find(mark)
            if found >= 0:
                parts.append(piece[: found + 1])
                break
            parts.append(piece)
        return b"".join(parts)


def _codec(encoding: str) -> tuple[str, str]:
    """How a block's bytes decode as a text stream over the whole file decodes them (a BOM is
    before the first block; undecodable bytes fall back as there): codec and error handler."""
    return ("utf-8" if encoding == "utf-8-sig" else encoding), decode_errors(encoding)


def decode(data: bytes, encoding: str) -> str:
    """A block's bytes as text (see _codec)."""
    codec, errors = _codec(encoding)
    return data.decode(codec, errors=errors)


def encode(text: str, encoding: str) -> bytes:
    """Text as the bytes of a block it was decoded from (the same bytes unless undecodable ones
    fell back to other characters: a replacement character becomes "?" in cp1252)."""
    return text.encode(_codec(encoding)[0], errors="replace")


# A line as a text stream ends it: at \n, \r\n or a lone \r (or the data's end).
_LINE = re.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def text_lines(data: bytes, encoding: str) -> Iterator[str]:
    """The lines of `data`, with their ends, as a text stream over the file reads them, each
    decoded as it is taken (a block decoded whole into a StringIO took four bytes a character:
    an import's two workers held 100 MB more at once)."""
    codec, errors = _codec(encoding)
    for line in _LINE.finditer(data):
        yield line.group().decode(codec, errors)


def line_breaks(data: bytes) -> int:
    """Line breaks in data as text streams count them: \\n, \\r\\n and a lone \\r."""
    breaks = data.count(b"\n")
    if b"\r" in data:  # most files have none: finding one is 30x faster than counting
        breaks += data.count(b"\r") - data.count(b"\r\n")
    return breaks
