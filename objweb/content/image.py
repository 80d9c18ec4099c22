"""Images: files that know their width and height.

The size is read from the image's header with Pillow, which opens images
lazily: only the first bytes are parsed and no pixel is decoded.
"""

import warnings

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from objweb.content.file import File
from objweb.content.schema import Field

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif",
                 "WEBP": "image/webp"}


def read_dimensions(stream) -> tuple[int, int, str] | None:
    """Return (width, height, content type) of a PNG, JPEG, GIF or WebP, else None."""
    try:
        with warnings.catch_warnings():
            # A huge image is fine to store; we never decode its pixels.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(stream, formats=list(IMAGE_FORMATS)) as image:
                width, height = image.size
                return width, height, IMAGE_FORMATS[image.format]
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError,
            SyntaxError, ValueError):
        return None


class Image(File):
    """A File holding a PNG, JPEG, GIF or WebP image, with its width and height.

    Data that is not such an image is kept, with width and height 0.
    """

    type_name = "Image"
    fields = File.fields + (
        Field("width", "int", "Width", writable=False),
        Field("height", "int", "Height", writable=False),
    )
    width = 0
    height = 0

    def content_changed(self) -> None:
        """Read the width and height (and the true content type) from the header."""
        with self.open() as stream:
            found = read_dimensions(stream)
        if found is None:
            self.width, self.height = 0, 0
            return
        self.width, self.height, self.content_type = found
