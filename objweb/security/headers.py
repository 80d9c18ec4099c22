"""The security headers objweb's responses carry, in one place.

The publisher adds `NOSNIFF` to every response. Management screens send
`MANAGEMENT_HEADERS`: no framing (against clickjacking), a strict
Content-Security-Policy (nothing inline, not even a style attribute; only
the site's own script, style sheet and images; requests and forms only to
the site), and no referrer outside the site. objweb's error pages, which
have an inline style and no script, send `PLAIN_PAGE_HEADERS`; the login
pages send `LOGIN_HEADERS`, the same with their own script allowed and
nothing cached. Uploaded files of active types (HTML, SVG, XML,
JavaScript) go out as attachments under `UPLOAD_SANDBOX_CSP`, so an upload
cannot run in the site's origin.
"""

NOSNIFF = {"X-Content-Type-Options": "nosniff"}

FRAME_REFUSAL = {"X-Frame-Options": "DENY"}

# Nothing by default; the screens' own script, style sheet and images, and
# requests to the site (the tree's branches, uploads); nothing inline, no
# plugins, no <base>, no framing, forms posting only back to the site. The
# screens' script is a static file (objweb/zmi/static/zmi.js), so no inline
# script needs a hash or a nonce.
MANAGEMENT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Pages of objweb's own with an inline style and no script: the error pages.
PLAIN_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# The login, logout and "logged in again" pages: the plain pages' policy and
# the site's own script (objweb/views/static/login.js, which keeps a refused
# user name in the browser), never an inline one.
LOGIN_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

MANAGEMENT_HEADERS = {
    **FRAME_REFUSAL,
    "Content-Security-Policy": MANAGEMENT_CSP,
    "Referrer-Policy": "same-origin",
}

PLAIN_PAGE_HEADERS = {
    **FRAME_REFUSAL,
    "Content-Security-Policy": PLAIN_PAGE_CSP,
    "Referrer-Policy": "same-origin",
}

LOGIN_HEADERS = {
    **PLAIN_PAGE_HEADERS,
    "Content-Security-Policy": LOGIN_CSP,
    "Cache-Control": "no-store",
}

# Stops an uploaded document from running in the site's origin, even if a
# browser is tricked into rendering it inline.
UPLOAD_SANDBOX_CSP = "sandbox; default-src 'none'"
