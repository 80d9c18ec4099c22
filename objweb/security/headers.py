"""The security headers objweb's responses carry, in one place.

The publisher adds `NOSNIFF` to every response. Management screens and the
login pages send `MANAGEMENT_HEADERS`: no framing (against clickjacking), a
Content-Security-Policy that allows only the site's own scripts, styles and
images, and no referrer outside the site. Uploaded files of active types
(HTML, SVG, XML, JavaScript) go out as attachments under `UPLOAD_SANDBOX_CSP`,
so an upload cannot run in the site's origin.
"""

NOSNIFF = {"X-Content-Type-Options": "nosniff"}

FRAME_REFUSAL = {"X-Frame-Options": "DENY"}

# Everything from the site itself, nothing inline but styles, no plugins, no
# framing, forms posting only back to the site.
MANAGEMENT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# The login and logout pages need nothing but their own inline styles.
LOGIN_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

MANAGEMENT_HEADERS = {
    **FRAME_REFUSAL,
    "Content-Security-Policy": MANAGEMENT_CSP,
    "Referrer-Policy": "same-origin",
}

LOGIN_HEADERS = {
    **FRAME_REFUSAL,
    "Content-Security-Policy": LOGIN_CSP,
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

# Stops an uploaded document from running in the site's origin, even if a
# browser is tricked into rendering it inline.
UPLOAD_SANDBOX_CSP = "sandbox; default-src 'none'"
