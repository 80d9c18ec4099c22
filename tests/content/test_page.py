"""Pages: a title and an HTML body."""

import pytest

from objweb import Page, ValidationError


def test_a_page_keeps_its_html_as_written():
    page = Page(title="Hi", body="<p>Hi <b>there</b></p>")
    assert page.body == "<p>Hi <b>there</b></p>" and page.type_name == "Page"


def test_a_page_body_must_be_text():
    with pytest.raises(ValidationError) as caught:
        Page(body=b"<p>bytes</p>")
    assert caught.value.field == "body"


def test_a_page_title_is_one_line():
    with pytest.raises(ValidationError):
        Page(title="a\nb")
