"""Sample content the HTTP tests share: a report's bytes and small images made by Pillow."""

import io

from PIL import Image as PILImage

REPORT = b"%PDF-1.4 quarterly report " * 40


def png_bytes(width: int = 3, height: int = 2, fmt: str = "PNG") -> bytes:
    """Return a small image made by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 20, 30)).save(buffer, format=fmt)
    return buffer.getvalue()
