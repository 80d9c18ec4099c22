"""The registry of views: which names a URL may call on which types.

A view is registered for a type, a name and the HTTP methods it answers. It
names an *action*, and the type's protection table (see
`objweb.security.protections`) says which permission guards that action, so
the decision lives with the type in one place. The registry only answers "is
there such a view"; calling it and checking it is the publisher's work.

There is no global registry. The application builds one and hands it to
each room's `include(registry)`, as Pyramid's configurator does; a room
marks its view functions with `view_config`, which registers nothing by
itself, and its `include` registers the marked functions of its modules
with `ViewRegistry.scan`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

DEFAULT_VIEW = ""
# The attribute where `view_config` leaves what `ViewRegistry.scan` registers.
VIEW_MARKS = "view_marks"
# The view that makes a new object from a PUT to a name not yet in a folder.
# A slash cannot occur in a URL segment, so no URL can call it by name.
CREATE_BY_PUT = "/put"


@dataclass(frozen=True)
class ViewRegistration:
    """One view: a handler for a type, a name, and a set of methods.

    `action` names the entry of the protection table that guards the view.
    `on_parent` checks that action on the object's container (deleting an
    object is a right over its container, as in Zope). `accept_json` narrows
    a `GET` view to clients that ask for JSON (True) or do not (False).
    `plain` lets the view be reached without the `@@` prefix; only names that
    can never be an item's name (such as `manage`) may be plain.
    `accepts_subpath` lets the view take the path segments after it.
    `json_api` marks a view of the JSON API: its refusals are told in JSON.
    `requires_token` makes every unsafe request to the view carry the
    user's CSRF token, whatever its credentials and its body (the
    management screens, the login form); other views need it only where a
    browser could have been made to send the request.
    `challenge`, when given, is the view's own challenge hook (see
    `objweb.web.boundary`): it answers the refusals of every request that
    reached the view, in place of the application's (a WebDAV client needs
    a Basic challenge and a sentence, never the login form).
    `token_refused`, given the object and the request, answers a request
    that this site's page sent but whose token the CSRF check refused (a
    screen shows the form again as typed, changing nothing) instead of
    the plain 403.
    """

    for_type: type
    name: str
    handler: Callable
    action: str
    methods: frozenset
    on_parent: bool = False
    accept_json: bool | None = None
    plain: bool = False
    accepts_subpath: bool = False
    json_api: bool = False
    requires_token: bool = False
    challenge: Callable | None = None
    token_refused: Callable | None = None


class ViewRegistry:
    """Views by type and name, found along the type's method resolution order."""

    def __init__(self):
        self._by_type_and_name: dict[tuple[type, str], list[ViewRegistration]] = {}
        self._by_type: dict[type, list[ViewRegistration]] = {}
        # What `candidates` found along a type's MRO, per concrete type and
        # name: every request asks; a registration empties it.
        self._found: dict[tuple[type, str], tuple[ViewRegistration, ...]] = {}
        self._names: set[str] = set()

    def register(self, for_type: type, name: str, handler: Callable, *,
                 action: str, methods=("GET",), on_parent: bool = False,
                 accept_json: bool | None = None, plain: bool = False,
                 accepts_subpath: bool = False, json_api: bool = False,
                 requires_token: bool = False,
                 challenge: Callable | None = None,
                 token_refused: Callable | None = None) -> ViewRegistration:
        """Register `handler` and return its registration.

        Raises `ValueError` if the same type, name, method and JSON preference
        are registered twice: a view never silently replaces another.
        """
        methods = frozenset(method.upper() for method in methods)
        registration = ViewRegistration(for_type, name, handler, action, methods,
                                        on_parent, accept_json, plain, accepts_subpath,
                                        json_api, requires_token, challenge,
                                        token_refused)
        existing = self._by_type_and_name.setdefault((for_type, name), [])
        for other in existing:
            if other.methods & methods and other.accept_json == accept_json:
                raise ValueError(f"view {name!r} of {for_type.__name__} is "
                                 f"already registered for {sorted(other.methods & methods)}")
        existing.append(registration)
        self._by_type.setdefault(for_type, []).append(registration)
        self._names.add(name)
        self._found.clear()
        return registration

    def candidates(self, obj, name: str) -> tuple[ViewRegistration, ...]:
        """Return the registrations of `name` for `obj`, most specific type first."""
        if name not in self._names:
            # Not remembered: a name comes from a URL, and URLs are anyone's.
            return ()
        return self.candidates_for_type(type(obj), name)

    def candidates_for_type(self, for_type: type, name: str) -> tuple[ViewRegistration, ...]:
        """Return the registrations of `name` for objects of `for_type`, most specific first."""
        key = (for_type, name)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = tuple(
                registration for cls in for_type.__mro__
                for registration in self._by_type_and_name.get((cls, name), ()))
        return found

    def has_plain_view(self, obj, name: str) -> bool:
        """Return whether `name` is a view of `obj` that URLs may call without `@@`."""
        return any(registration.plain for registration in self.candidates(obj, name))

    def lookup(self, obj, name: str, method: str,
               wants_json: bool = False) -> ViewRegistration | None:
        """Return the view `name` of `obj` that answers `method`, or None.

        A view registered for the client's JSON preference wins over one that
        has none; within each, the most specific type wins.
        """
        method = "GET" if method == "HEAD" else method
        matching = [registration for registration in self.candidates(obj, name)
                    if method in registration.methods]
        for preference in (wants_json, None):
            for registration in matching:
                if registration.accept_json is preference:
                    return registration
        return None

    def registrations_for(self, obj) -> Iterator[ViewRegistration]:
        """Yield every registration that applies to `obj`, most specific type first."""
        for cls in type(obj).__mro__:
            yield from self._by_type.get(cls, ())

    def scan(self, module: ModuleType) -> None:
        """Register the functions of `module` that `view_config` marked.

        Only functions defined in `module` itself count, in the order they
        are defined; raises `ValueError` as `register` does.
        """
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            for for_type, name, options in getattr(value, VIEW_MARKS, ()):
                self.register(for_type, name, value, **options)

    def challenge_of(self, obj, name: str | None) -> Callable | None:
        """Return the challenge hook of view `name` of `obj`, or None if it has none."""
        return next((registration.challenge for registration in self.candidates(obj, name)
                     if registration.challenge is not None), None)

    def allowed_methods(self, obj, name: str) -> list[str]:
        """Return the methods that view `name` of `obj` answers, for an `Allow` header."""
        methods = set()
        for registration in self.candidates(obj, name):
            methods |= registration.methods
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)


def view_config(for_type: type, name: str = DEFAULT_VIEW, **options) -> Callable:
    """Mark a function as the view `name` of `for_type`; `ViewRegistry.scan` registers it.

    Decorating registers nothing: the marks wait on the function until a
    room's `include(registry)` scans its module. `options` are those of
    `ViewRegistry.register`; a function may carry several marks.
    """
    def mark(handler: Callable) -> Callable:
        marks = getattr(handler, VIEW_MARKS, ())
        setattr(handler, VIEW_MARKS, marks + ((for_type, name, options),))
        return handler
    return mark
