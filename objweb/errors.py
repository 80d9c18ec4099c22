"""The exception family of objweb.

Everything objweb raises on purpose derives from `ObjwebError`, so callers can
tell an expected refusal from a bug. ZODB's own errors (`ConflictError` above
all) are never wrapped: they pass through untouched so that the publisher can
retry the request.
"""


class ObjwebError(Exception):
    """The root of objweb's exceptions."""


class NameInUseError(ObjwebError, KeyError):
    """A container already holds an object under that name."""

    def __init__(self, name: str, container_path: str = ""):
        self.name = name
        self.container_path = container_path
        where = f" in {container_path}" if container_path else ""
        super().__init__(f"the name {name!r} is already in use{where}")

    def __str__(self) -> str:
        # KeyError quotes its argument; a message reads better unquoted.
        return self.args[0]


class NotFoundError(ObjwebError, KeyError):
    """A path or a name does not lead to an object."""

    def __str__(self) -> str:
        return self.args[0] if self.args else "not found"


class ValidationError(ObjwebError, ValueError):
    """Input that does not fit what the object accepts.

    `field` names the offending field, when there is one, so that forms can
    show the message beside it.
    """

    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(message)


class SourceError(ValidationError):
    """Template or script source that does not compile.

    Carries the line and column of the problem, counted from 1.
    """

    def __init__(self, message: str, *, line: int | None = None,
                 column: int | None = None, field: str | None = "source"):
        self.line = line
        self.column = column
        where = f" (line {line}, column {column})" if line else ""
        super().__init__(f"{message}{where}", field=field)


class AccessDenied(ObjwebError):
    """The security policy refused an action.

    `decision` holds the record that explains the refusal (which permission,
    on which object, and which roles were needed); it goes to the log and never
    into a response.
    """

    def __init__(self, message: str = "access denied", decision=None):
        self.decision = decision
        super().__init__(message)


class Unauthorized(AccessDenied):
    """Refused to a visitor who gave no credentials (or bad ones): log in."""


class Forbidden(AccessDenied):
    """Refused to an authenticated user who lacks the permission."""


class LimitExceededError(ObjwebError):
    """A script or template ran past its time budget or output limit."""


class StorageError(ObjwebError):
    """The database cannot do what was asked (for example, store blobs)."""
