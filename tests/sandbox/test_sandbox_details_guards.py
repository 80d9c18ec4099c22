"""The guards' refusals word for word, and the URL code reads of an object over HTTP."""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script


@pytest.mark.parametrize("body, kind, message", [
    ("return dict(**[('a', 1)])", TypeError, "only a dict can be unpacked with ** in code"),
    ("return {**'ab'}", TypeError, "only a dict can be unpacked with ** in code"),
    ("return '{0!x}'.format(1)", ValueError, "unknown conversion specifier x"),
])
def test_guard_refusals_say_what_code_may_do(refused, body, kind, message):
    error = refused(body)
    assert (type(error), str(error)) == (kind, message)


def test_absolute_url_over_http_is_the_url_of_the_object_reached(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello")
        root["where"] = Script(body="return context.absolute_url()")
    web = TestApp(objweb.make_app(db))
    assert web.get("/news/hello/where", status=200).text == "http://localhost/news/hello"
    assert web.get("/where", status=200).text == "http://localhost/"
