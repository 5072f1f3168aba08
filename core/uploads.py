"""Reading a file a command was given, bounded: only a regular file, and only up to a size.

`Path.read_bytes()` on /dev/zero reads until memory runs out, and on a FIFO waits for a writer
forever; the import commands must refuse both, and any file larger than they allow, before
reading a byte.
"""

from __future__ import annotations

import os
import stat


class FileRefused(ValueError):
    """The file cannot be read as asked; the message says why, for the person who gave it."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def read_regular_file(path: str, *, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`, refusing devices, FIFOs, directories and files
    larger than `max_bytes` (also one that grows past it while being read)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can look at it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise FileRefused(f"Cannot read {path}: {error.strerror}.") from error
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise FileRefused(
            f"{path} is not a regular file (a device, a pipe or a directory): "
            "give the path of the file itself."
        )
    with os.fdopen(descriptor, "rb") as file:
        if info.st_size > max_bytes:
            raise FileRefused(
                f"{path} is {megabytes(info.st_size)}; at most {megabytes(max_bytes)} are read."
            )
        os.set_blocking(file.fileno(), True)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(f"{path} is larger than {megabytes(max_bytes)}.")
    return data
