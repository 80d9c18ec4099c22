"""Files and images: bytes kept in ZODB blobs, streamed in and out.

The data of a File lives in a `ZODB.blob.Blob`: the storage keeps it as a file
on disk, so serving a file hands an open file to the server and uploading one
copies it in chunks. Neither ever holds the whole content in memory. In a
database without blobs the data moves to persistent chunks
(`objweb.content.chunks`) when the File is added there.
"""

import mimetypes
import shutil
from io import BytesIO

from ZODB.blob import Blob

from objweb.content.base import Item
from objweb.content.chunks import ChunkedData, copy_into, keeps_blobs
from objweb.content.mediatype import (  # noqa: F401 (ACTIVE_CONTENT_TYPES: read from here too)
    ACTIVE_CONTENT_TYPES, DEFAULT_CONTENT_TYPE, is_active_content_type,
    normalise_content_type)
from objweb.content.schema import TITLE, Field
from objweb.errors import ValidationError

CHUNK_SIZE = 1 << 16

CONTENT_TYPE = Field("content_type", "line", "Content type", max_length=255)


def _check_content_type(content_type: str | None, filename: str | None) -> str:
    """Return the content type to store, normalised; raise `ValidationError` if malformed."""
    if not content_type and filename:
        content_type = mimetypes.guess_type(filename)[0]
    try:
        return normalise_content_type(content_type or DEFAULT_CONTENT_TYPE)
    except ValueError as error:
        raise ValidationError(str(error), "content_type") from None


class File(Item):
    """Bytes with a content type, stored in a blob and served by range."""

    type_name = "File"
    fields = (
        TITLE,
        CONTENT_TYPE,
        Field("data", "base64", "Data"),
        Field("size", "int", "Size", writable=False),
    )

    def __init__(self, title: str = "", data=b"", content_type: str | None = None,
                 filename: str | None = None):
        super().__init__(title)
        self.content_type = _check_content_type(content_type, filename)
        self.size = 0
        self._blob = Blob()
        self.write(data)

    @property
    def is_active_content(self) -> bool:
        """Whether browsers would run this file's content as a document or script.

        A type stored before types were normalised, that no longer parses, counts as active.
        """
        return is_active_content_type(self.content_type)

    @property
    def served_content_type(self) -> str:
        """The type to serve the content as: the stored one if it parses, else bytes."""
        try:
            return normalise_content_type(self.content_type)
        except ValueError:
            return DEFAULT_CONTENT_TYPE

    @property
    def data(self) -> bytes:
        """All of the content, read into memory: for small files and tests only."""
        with self.open() as stream:
            return stream.read()

    def open(self):
        """Return the content opened for reading, as a binary file."""
        return self._blob.open("r")

    def write(self, data) -> int:
        """Replace the content with `data` (bytes or a binary file) and return its size.

        A file is copied in chunks, never read whole.
        """
        self._fit_data_to(self)
        if isinstance(data, (bytes, bytearray, memoryview)):
            stream = BytesIO(data)
        elif hasattr(data, "read"):
            stream = data
        else:
            raise TypeError(f"file data is bytes or a binary file, not {type(data).__name__}")
        with self._blob.open("w") as target:
            shutil.copyfileobj(stream, target, CHUNK_SIZE)
            size = target.tell()
        self.size = size
        self.touch()
        self.content_changed()
        return size

    def check_stored_state(self) -> None:
        """Check the state as `Item` does; measure the data and read its facts again.

        Raises `ValidationError` for a bad content type or data that is not a file's.
        """
        super().check_stored_state()
        content_type = _check_content_type(self.content_type, None)
        if content_type != self.content_type:
            self.content_type = content_type
        holder = self._blob
        if not isinstance(holder, Blob) and not (isinstance(holder, ChunkedData)
                                                 and holder.is_well_formed()):
            raise ValidationError("the data is not a file's", "data")
        with self.open() as stream:
            size = stream.seek(0, 2)
        if size != self.size:
            self.size = size
        self.content_changed()

    def content_changed(self) -> None:
        """Hook for types that derive facts from the content (an Image's size)."""

    def apply_values(self, values: dict) -> None:
        """Store validated values; `data` is written into the blob."""
        values = dict(values)
        if "content_type" in values:
            self.content_type = _check_content_type(values.pop("content_type"), None)
        if "data" in values:
            self.write(values.pop("data"))
        super().apply_values(values)

    def check_container(self, container) -> None:
        """Move the data out of its blob if `container`'s database keeps no blobs."""
        self._fit_data_to(container)

    def _fit_data_to(self, place) -> None:
        # `_blob` names the data holder whatever it is: a Blob, or the chunks
        # that stand in for one in a database without blobs.
        if keeps_blobs(place) is False and isinstance(self._blob, Blob):
            chunks = ChunkedData()
            copy_into(self._blob, chunks)
            self._blob = chunks
