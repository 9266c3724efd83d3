"""The files of a downloaded archive, read safely: a zip, its unpacked folder, or one file.

Nothing in an archive is trusted. A member whose path leaves the archive (`../`, an absolute
path, a drive letter, a symlink out of the folder), a member larger than MAX_MEMBER_BYTES, one
that inflates more than MAX_RATIO times (a zip bomb), an encrypted or corrupt member: each is
refused with a message in `problems`, nothing is read from it, and the rest of the archive is
read as usual. Only the members a reader asks for are ever inflated (photos and videos, most of
a real archive's size, are never read), and all of them together at most MAX_TOTAL_BYTES.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one JSON or CSV member; a 2 GB member is refused
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024  # everything read from one archive
MAX_RATIO = 200  # uncompressed / compressed size; text compresses 5-20x, bombs 1000x and more
RATIO_FLOOR = 1024 * 1024  # small members may compress very well: the ratio counts from 1 MB
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class Container:
    """Member names (POSIX, relative, as in the archive) and their bytes, read within limits."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[str] = []
        self._total = 0

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, name: str) -> bytes | None:
        """A member's bytes, or None when it is refused (the reason goes to `problems`)."""
        raise NotImplementedError

    def head(self, name: str, size: int = 65536) -> bytes:
        """The first bytes of a member, to recognise it by its content (b"" if unreadable)."""
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to release unless the container holds a file open."""

    def refuse(self, name: str, reason: str) -> None:
        self.problems.append(f"{name}: {reason}; skipped, the rest of the archive is read")

    def _too_big(self, name: str, size: int) -> bool:
        if size > MAX_MEMBER_BYTES:
            limit = MAX_MEMBER_BYTES // 2**20
            self.refuse(name, f"{size / 1e9:.1f} GB is more than the {limit} MB a member may hold")
            return True
        return False

    def _account(self, name: str, size: int) -> bool:
        """Whether `size` more bytes may be read from this archive (counted if so)."""
        if self._too_big(name, size):
            return False
        if self._total + size > MAX_TOTAL_BYTES:
            self.refuse(name, f"the archive's readable files exceed {MAX_TOTAL_BYTES // 2**30} GB in all")
            return False
        self._total += size
        return True


def safe_name(name: str) -> str | None:
    """The member's path if it stays inside the archive, else None."""
    if not name or "\x00" in name:
        return None
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return None
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return None
    return "/".join(p for p in parts if p not in (".", ""))


class ZipContainer(Container):
    def __init__(self, path: Path) -> None:
        super().__init__(path.name)
        self._zip = zipfile.ZipFile(path)
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            name = safe_name(info.filename)
            if name is None:
                self.refuse(info.filename, "its path leads outside the archive")
            elif name not in self._infos:
                self._infos[name] = info

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, name: str) -> bytes | None:
        info = self._infos[name]
        if info.flag_bits & 0x1:
            self.refuse(name, "it is encrypted")
            return None
        if self._too_big(name, info.file_size):
            return None
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            self.refuse(name, f"it would inflate {ratio}x (a zip bomb?)")
            return None
        if not self._account(name, info.file_size):
            return None
        try:
            return self._inflate(name, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            self.refuse(name, f"it is corrupt ({exc})")
            return None

    def head(self, name: str, size: int = 65536) -> bytes:
        try:
            with self._zip.open(self._infos[name]) as member:
                return member.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            return b""

    def _inflate(self, name: str, info: zipfile.ZipInfo) -> bytes | None:
        """Read no more than the size the member declares (a lying header cannot overrun)."""
        chunks: list[bytes] = []
        read = 0
        with self._zip.open(info) as member:
            while chunk := member.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size or read > MAX_MEMBER_BYTES:
                    self.refuse(name, "it inflates beyond its declared size")
                    return None
                chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()


class FolderContainer(Container):
    """An unpacked archive. Symlinks that point outside the folder are refused."""

    def __init__(self, root: Path) -> None:
        super().__init__(root.name)
        self._root = root.resolve()
        self._files: dict[str, Path] = {}
        for path in self._walk(self._root):
            name = path.relative_to(self._root).as_posix()
            try:
                real = path.resolve()
            except OSError:
                self.refuse(name, "it cannot be read")
                continue
            if not real.is_relative_to(self._root):
                self.refuse(name, "it links to a file outside the folder")
                continue
            self._files[name] = path

    @staticmethod
    def _walk(root: Path) -> Iterator[Path]:
        for folder, dirs, files in os.walk(root):  # never follows linked folders
            dirs.sort()
            for file in sorted(files):
                yield Path(folder) / file

    def names(self) -> list[str]:
        return list(self._files)

    def head(self, name: str, size: int = 65536) -> bytes:
        try:
            with self._files[name].open("rb") as handle:
                return handle.read(size)
        except OSError:
            return b""

    def read(self, name: str) -> bytes | None:
        path = self._files[name]
        try:
            size = path.stat().st_size
            if not self._account(name, size):
                return None
            return path.read_bytes()
        except OSError as exc:
            self.refuse(name, f"it cannot be read ({exc.strerror or exc})")
            return None


class FileContainer(FolderContainer):
    """One downloaded file (a Play Console CSV, a tweets.js) read like an archive of one member."""

    def __init__(self, path: Path) -> None:
        Container.__init__(self, path.name)
        self._root = path.parent.resolve()
        self._files = {path.name: path}


def open_container(path: Path) -> Container:
    if path.is_dir():
        return FolderContainer(path)
    if zipfile.is_zipfile(path):
        return ZipContainer(path)
    return FileContainer(path)
