"""The errors restricted code meets, and the ones its runs end with.

Inside a run, a refused name is an `AttributeError` (or a `KeyError` for an
item) so that code can test for it as for any missing name, and learns
nothing about what exists. A denial by the security policy stays an
`Unauthorized` or `Forbidden`, as for a URL. When a run fails, its boundary
turns the failure into a `CodeError` that says where in which Script or
Template it happened; only users who may see the source see those details.
"""

from objweb.errors import LimitExceededError, ObjwebError


class NotPublishedError(AttributeError):
    """A name that restricted code may not read on this object (or that is missing)."""


class NotIterableError(TypeError):
    """An object that restricted code may not iterate over."""


class CodeError(ObjwebError):
    """A Script or Template failed while running.

    `detail` holds the error and the lines of source where it happened;
    it is set only when the user who ran the code may read that source, and
    is shown to them alone. The log always has the traceback.
    """

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


class CodeLimitError(LimitExceededError):
    """A Script or Template ran past its time budget, output limit or a size limit."""

    def __init__(self, message: str, *, kind: str, detail: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.detail = detail
