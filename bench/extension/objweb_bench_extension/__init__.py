"""The bench's extension: one view, registered as any installed package's would be.

`make bench` starts `objweb serve` with `bench/extension` on its PYTHONPATH, whose
distribution metadata names `include` in the `objweb.extensions` group. The row
`extension_view` asks for `/bench/page/@@summary`: the same Page as `page_depth1`,
through a view the extension adds, checked by the same policy.
"""

from html import escape

from objweb import Page


def summary(page, request) -> str:
    """The Page's title and body, as a page of its own."""
    return (f"<!DOCTYPE html><html><head><title>{escape(page.title)}</title></head>"
            f"<body><h1>{escape(page.title)}</h1>{page.body}</body></html>")


def include(config) -> None:
    """Add the view `summary` to Pages."""
    config.add_view(Page, "summary", summary, permission="View")
