"""File data for databases that keep no blobs: a chain of persistent chunks.

Blobs are the right home for file data, and every storage objweb opens by URI
has them. A bare `ZODB.DB(None)` (a MappingStorage) does not, yet the contract
lets any database hold a site; there a File keeps its bytes in chunks of
64 KiB, each its own persistent record, as Zope's `Pdata` chain did. Reading
copies them into a spooled temporary file, so what a response streams does
not depend on the request's connection staying open.
"""

import shutil
import tempfile

from persistent import Persistent
from ZODB.interfaces import IBlobStorage

from objweb.traversal.location import lineage

CHUNK_SIZE = 1 << 16
SPOOL_IN_MEMORY = 1 << 20


class Chunk(Persistent):
    """Up to `CHUNK_SIZE` bytes of a file."""

    def __init__(self, data: bytes):
        self.data = data


class ChunkedData(Persistent):
    """A file's bytes as a tuple of chunks; offers the part of a Blob's API a File uses."""

    def __init__(self):
        self.chunks = ()

    def open(self, mode: str = "r"):
        """Return a binary file over the bytes: a copy to read (`r`), or a writer (`w`)."""
        if mode == "w":
            return _ChunkWriter(self)
        copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        for chunk in self.chunks:
            copy.write(chunk.data)
        copy.seek(0)
        return copy


    def is_well_formed(self) -> bool:
        """Whether the chunks are a tuple of chunks of bytes, as the writer leaves them."""
        return isinstance(self.chunks, tuple) and all(
            isinstance(chunk, Chunk) and type(chunk.data) is bytes
            and len(chunk.data) <= CHUNK_SIZE for chunk in self.chunks)


class _ChunkWriter:
    """Collects written bytes into chunks; stores them on close."""

    def __init__(self, target: ChunkedData):
        self._target = target
        self._chunks = []
        self._pending = bytearray()
        self._size = 0

    def write(self, data) -> int:
        self._pending += data
        self._size += len(data)
        while len(self._pending) >= CHUNK_SIZE:
            self._chunks.append(Chunk(bytes(self._pending[:CHUNK_SIZE])))
            del self._pending[:CHUNK_SIZE]
        return len(data)

    def tell(self) -> int:
        return self._size

    def close(self) -> None:
        if self._pending:
            self._chunks.append(Chunk(bytes(self._pending)))
            self._pending.clear()
        self._target.chunks = tuple(self._chunks)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def keeps_blobs(place) -> bool | None:
    """Return whether the database holding `place` keeps blobs (None: not stored yet).

    The first object up the tree that is stored tells which database it is.
    """
    jar = next((node._p_jar for node in lineage(place) if node._p_jar is not None), None)
    if jar is None:
        return None
    return IBlobStorage.providedBy(jar.db().storage)


def copy_into(source, target) -> int:
    """Copy the bytes of one data holder (a Blob or ChunkedData) into another; return the size."""
    with source.open("r") as reader, target.open("w") as writer:
        shutil.copyfileobj(reader, writer, CHUNK_SIZE)
        return writer.tell()
