"""The WSGI framework: one request, one transaction, one answer.

The typed request, cookies, who sent a request and the one CSRF check,
request limits, virtual hosting, batching, the error boundary, commit and
retry, the access log, the audit trail, the application's `Settings`, and
the publisher that runs them in order. It knows no view: the application
hands it a registry that the view rooms filled.
"""
