"""Images: width and height read from PNG, JPEG, GIF and WebP headers."""

import io

import pytest
from PIL import Image as PILImage

import objweb
from objweb import Image
from objweb.content.image import read_dimensions

FORMATS = [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"),
           ("WEBP", "image/webp")]


def image_bytes(fmt: str, width: int, height: int) -> bytes:
    """Return a small image of `width` x `height` pixels encoded as `fmt`, made by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 40, 90)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt, content_type", FORMATS)
def test_an_image_knows_its_size_and_type(fmt, content_type):
    logo = Image(title="Logo", data=image_bytes(fmt, 37, 21), content_type=content_type)
    assert (logo.width, logo.height) == (37, 21)
    assert logo.content_type == content_type and logo.type_name == "Image"


@pytest.mark.parametrize("fmt, content_type", FORMATS)
def test_the_true_type_wins_over_a_declared_one(fmt, content_type):
    logo = Image(data=image_bytes(fmt, 3, 4), content_type="application/octet-stream")
    assert logo.content_type == content_type and (logo.width, logo.height) == (3, 4)


def test_new_data_updates_the_size():
    logo = Image(data=image_bytes("PNG", 10, 10), content_type="image/png")
    logo.edit(data=image_bytes("GIF", 64, 48))
    assert (logo.width, logo.height, logo.content_type) == (64, 48, "image/gif")


def test_data_that_is_no_image_is_kept_with_no_size():
    odd = Image(data=b"not an image at all", content_type="image/png")
    assert (odd.width, odd.height) == (0, 0)
    assert odd.data == b"not an image at all" and odd.content_type == "image/png"


def test_other_image_formats_are_kept_with_no_size():
    bitmap = Image(data=image_bytes("BMP", 5, 5), content_type="image/bmp")
    assert (bitmap.width, bitmap.height, bitmap.content_type) == (0, 0, "image/bmp")


def test_width_and_height_cannot_be_set():
    logo = Image(data=image_bytes("PNG", 2, 2))
    with pytest.raises(objweb.ValidationError):
        logo.edit(width=100)
    assert logo.width == 2


def test_read_dimensions_reads_only_the_header():
    png = image_bytes("PNG", 4000, 3000)
    stream = io.BytesIO(png)
    assert read_dimensions(stream) == (4000, 3000, "image/png")
    assert read_dimensions(io.BytesIO(png[:64])) == (4000, 3000, "image/png")


def test_images_survive_a_commit(db):
    with objweb.site(db) as root:
        root["logo"] = Image(title="Logo", data=image_bytes("WEBP", 12, 34))
    with objweb.site(db) as root:
        logo = root["logo"]
        assert (logo.width, logo.height, logo.content_type) == (12, 34, "image/webp")
