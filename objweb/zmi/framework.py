"""The frame every management screen shares: registration, tabs, forms, answers.

As Substance D's `mgmt_view` does, each screen is a small class registered
with a name, a tab title, the action (hence the permission) it needs and
the methods it answers. A GET renders the screen. A POST names a command,
carries the CSRF token, changes what it must and redirects with a message
(POST, redirect, GET). A command that fails renders its screen again with
the error and answers 400, so the publisher aborts the transaction: nothing
half-done is ever committed.
"""

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import webob
import webob.exc
from chameleon import PageTemplateLoader

from objweb.content.markup import clean_html_fields, describe_removed
from objweb.errors import NameInUseError, NotFoundError
from objweb.security.headers import MANAGEMENT_HEADERS
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from objweb.security.protections import MANAGE
from objweb.traversal.location import lineage
from objweb.traversal.views import DEFAULT_VIEW, views
from objweb.security.csrf import CSRFError
from objweb.zmi import cookies, csrf, static, tree
from objweb.zmi.concurrency import VERSION_FIELD, Conflict, version_of
from objweb.zmi.display import format_moment, iso_time, label_of
from objweb.zmi.forms import Widget

HERE = os.path.dirname(__file__)
templates = PageTemplateLoader(os.path.join(HERE, "templates"), auto_reload=False)

# Sent with every management page: no other site may frame it (clickjacking),
# nothing but the site's own files may run in it, and no proxy or browser
# keeps a page that carries a CSRF token.
SECURITY_HEADERS = {**MANAGEMENT_HEADERS, "Cache-Control": "no-store"}


def secure(response: webob.Response) -> webob.Response:
    """Add the headers every management answer carries, and return `response`."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def has_public_view(obj) -> bool:
    """Whether `obj` has a page of its own for a browser (a user folder has none)."""
    return views.lookup(obj, DEFAULT_VIEW, "GET") is not None


# -- registration ----------------------------------------------------------------

@dataclass(frozen=True)
class Tab:
    """A screen's place in the tab row: name, title, order, and the action it needs."""

    name: str
    title: str
    order: int
    action: str
    condition: Callable | None = None
    # A tab that leads out of the screens, to the object's public page (Zope's View tab).
    public: bool = False


class TabRegistry:
    """Tabs by type, found along the type's method resolution order."""

    def __init__(self):
        self._by_type: dict[type, list[Tab]] = {}

    def add(self, for_type: type, tab: Tab) -> None:
        """Give `for_type` (and its subclasses) the tab `tab`."""
        self._by_type.setdefault(for_type, []).append(tab)

    def tabs_for(self, obj) -> list[Tab]:
        """Return the tabs of `obj`'s type whose condition holds, in order."""
        found = {}
        for cls in type(obj).__mro__:
            for tab in self._by_type.get(cls, ()):
                found.setdefault(tab.name, tab)
        usable = [tab for tab in found.values()
                  if tab.condition is None or tab.condition(obj)]
        return sorted(usable, key=lambda tab: (tab.order, tab.title))


tabs = TabRegistry()
# Every screen class registered, in order: the tests walk it to cover every command.
screens: list[type] = []


@dataclass(frozen=True)
class TabLink:
    """A tab as a page shows it."""

    title: str
    url: str
    current: bool


@dataclass(frozen=True)
class CommandSpec:
    """A POST command of a screen: its name and the action it needs beyond the screen's."""

    name: str
    action: str | None = None


def command(name: str, *, action: str | None = None) -> Callable:
    """Mark a screen method as the handler of the POSTed `command=name`."""
    def mark(method: Callable) -> Callable:
        method.command_spec = CommandSpec(name, action)
        return method
    return mark


def screen(for_type: type, name: str, *, title: str | None = None, order: int = 100,
           action: str = MANAGE, post_action: str | None = None,
           condition: Callable | None = None) -> Callable:
    """Register a `Screen` class as the view `name` of `for_type`, and as a tab if titled.

    GET needs `action`; POST (when the class has commands) needs `post_action`,
    by default the same.
    """
    def register(cls: type) -> type:
        cls.name = name

        def handler(obj, request):
            if condition is not None and not condition(obj):
                raise NotFoundError(f"{type(obj).type_name} has no screen {name!r}")
            return cls(obj, request).respond()

        handler.__doc__ = cls.__doc__
        # `dispatch` checks every POST's token before anything changes, and shows
        # a form with an outdated token again as typed: the publisher lets it.
        handler.checks_own_token = True
        screens.append(cls)
        views.register(for_type, name, handler, action=action, methods=("GET",), plain=True)
        if cls.commands:
            views.register(for_type, name, handler, action=post_action or action,
                           methods=("POST",), plain=True)
        if title:
            tabs.add(for_type, Tab(name, title, order, action, condition))
        return cls
    return register


# -- the screen --------------------------------------------------------------------

# The transaction's extended information that records the path of the change's request.
REQUEST_PATH_KEY = "request_path"
# A random mark a change leaves in its transaction, so a link can point at that one change.
CHANGE_MARK_KEY = "change_mark"

FORM_EXPIRED = ("This form had expired, so nothing was saved. What you typed is below: "
                "check it and send it again.")
RESUMED = "You are logged in again. What you typed is below, not saved yet: check it and save."

# Errors a command reports to the user as bad input; anything else is a bug.
INPUT_ERRORS = (ValueError, NameInUseError, NotFoundError)


class Screen:
    """One management screen of one object, for one request.

    Subclasses set `template` and may override `get` and `values`; methods
    marked with `command` handle POSTs.
    """

    name = ""
    template = ""
    # The page's heading for screens that are not tabs (the add form, rename).
    heading = ""
    commands: dict = {}
    # A save over a newer change, shown with both sides (objweb.zmi.concurrency).
    conflict: Conflict | None = None
    format_moment = staticmethod(format_moment)
    iso_time = staticmethod(iso_time)

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        found = {}
        for base in reversed(cls.__mro__):
            for attribute, value in vars(base).items():
                spec = getattr(value, "command_spec", None)
                if spec is not None:
                    found[spec.name] = (attribute, spec)
        cls.commands = found

    def __init__(self, context, request):
        self.context = context
        self.request = request
        self.errors: dict[str, str] = {}
        self.error = None
        self.submitted = None
        self.flash = cookies.read_flash(request) if request.method == "GET" else None

    # -- dispatch -----------------------------------------------------------------

    def respond(self) -> webob.Response:
        """Answer the request: render on GET, run the named command on POST."""
        if self.request.method == "POST":
            return self.dispatch()
        return self.get()

    def get(self) -> webob.Response:
        """Render the screen."""
        return self.render()

    def dispatch(self) -> webob.Response:
        """Check the CSRF token and the command's action, then run the command.

        Raises `HTTPForbidden` for a bad token, `HTTPBadRequest` for an unknown
        command, and the policy's refusals.
        """
        try:
            csrf.check(self.request)
        except CSRFError:
            return self.form_expired()
        if self.request.POST.get("resume") == "1":
            return self.resume()
        name = self.request.POST.get("command", "")
        found = self.commands.get(name)
        if found is None:
            raise webob.exc.HTTPBadRequest(detail=f"this screen has no command {name!r}")
        attribute, spec = found
        if spec.action is not None:
            self.request.policy.check(spec.action, self.context)
        # A command that fails part way shows the page as it was before it began;
        # the publisher aborts the whole transaction after the 400 anyway.
        savepoint = self.request.connection.transaction_manager.get().savepoint(optimistic=True)
        try:
            return getattr(self, attribute)()
        except INPUT_ERRORS as error:
            savepoint.rollback()
            return self.failed(error)

    def failed(self, error: Exception, field: str | None = None) -> webob.Response:
        """Render the screen again with `error` beside its field; answer 400."""
        field = field or getattr(error, "field", None) or ""
        self.errors[field] = str(error)
        self.error = error
        self.submitted = self.request.POST
        response = self.show_failure()
        response.status = 400
        return response

    def form_expired(self) -> webob.Response:
        """Show the form again with what was typed and a fresh token; answer 403.

        Raises `CSRFError` (a bare 403) unless the browser says the form came
        from this site: another site's forged post is never filled in.
        """
        if not self.request.comes_from_this_site:
            raise CSRFError()
        return self.show_typed(FORM_EXPIRED, status=403)

    def resume(self) -> webob.Response:
        """Show the form as typed before the session ended (changing nothing)."""
        return self.show_typed(RESUMED)

    def show_typed(self, message: str, *, status: int = 200) -> webob.Response:
        """Render the screen with the posted values in its forms, under `message`."""
        self.submitted = self.request.POST
        self.flash = cookies.Flash("info", message)
        response = self.get()
        response.status = status
        return response

    def show_conflict(self, conflict: Conflict) -> webob.Response:
        """Show both sides of a save over a newer change, the form as typed; answer 409."""
        self.conflict = conflict
        self.submitted = self.request.POST
        response = self.get()
        response.status = 409
        return response

    def show_failure(self) -> webob.Response:
        """Return the page that shows a failed command's errors: the screen itself."""
        return self.get()

    # -- answers ------------------------------------------------------------------------

    def render(self, template: str | None = None, **values) -> webob.Response:
        """Return the HTML page of `template` (the screen's own by default)."""
        body = templates[template or self.template](
            view=self, layout=templates["layout.pt"], macros=templates["macros.pt"], **values)
        response = webob.Response(body, content_type="text/html", charset="utf-8")
        if self.flash is not None:
            cookies.clear_flash(self.request, response)
        return secure(response)

    def redirect(self, url: str, message: str, *, kind: str = "success",
                 link_url: str = "", link_text: str = "") -> webob.Response:
        """Return a 303 to `url` that shows `message` on the page it leads to."""
        response = webob.Response(status=303, location=url)
        cookies.write_flash(self.request, response,
                            cookies.Flash(kind, message, link_url, link_text))
        return secure(response)

    def redirect_saved(self, url: str, message: str, html_note: str) -> webob.Response:
        """Return the redirect after a change, telling what cleaning took out of its HTML."""
        if html_note:
            return self.redirect(url, f"{message} {html_note}", kind="info")
        return self.redirect(url, message)

    def cleaned_html(self, obj_or_type, values: dict, place) -> tuple[dict, str]:
        """Return `values` with their HTML cleaned, and a sentence saying what went ("" if nothing).

        HTML is kept as written for a user who holds `Write unfiltered HTML` on `place`.
        """
        unfiltered = self.request.policy.has_permission(WRITE_UNFILTERED_HTML, place)
        cleaned, removed = clean_html_fields(obj_or_type, values, unfiltered=unfiltered)
        return cleaned, describe_removed(removed)

    def note(self, text: str) -> None:
        """Describe this change in the transaction, and where it was made, for the Undo tab."""
        self.request.note(text)
        txn = self.request.connection.transaction_manager.get()
        txn.extension[REQUEST_PATH_KEY] = self.request.path_info

    def mark_change(self) -> str:
        """Return a random mark recorded with this change, which the Undo tab can find it by.

        The transaction's id is known only once it is committed, after the answer is made.
        """
        mark = secrets.token_urlsafe(12)
        self.request.connection.transaction_manager.get().extension[CHANGE_MARK_KEY] = mark
        return mark

    # -- what templates use ---------------------------------------------------------

    def url(self, obj=None, screen: str = "manage", **query) -> str:
        """Return the URL of management screen `screen` of `obj` (default: the context)."""
        base = self.request.url_of(self.context if obj is None else obj).rstrip("/")
        pairs = {key: value for key, value in query.items() if value not in (None, "")}
        return f"{base}/{screen}" + (f"?{urlencode(pairs, doseq=True)}" if pairs else "")

    def public_url(self, obj=None) -> str:
        """Return the public URL of `obj` (default: the context)."""
        return self.request.url_of(self.context if obj is None else obj)

    @property
    def has_public_page(self) -> bool:
        """Whether the context's public URL shows a browser a page (else it is no link)."""
        return has_public_view(self.context)

    def static_url(self, filename: str) -> str:
        """Return the URL of one of the management screens' own files."""
        return f"{self.root_url}/{static.static_path(filename)}"

    @property
    def root_url(self) -> str:
        """The site root's URL."""
        return self.request.url_of(self.request.url_root).rstrip("/")

    @property
    def csrf_token(self) -> str:
        """The token every form of this page sends back."""
        return csrf.token_for(self.request)

    @property
    def version(self) -> str:
        """The version an edit form started from: what was sent back, else the object's own.

        After a conflict the form carries the object's new version, so saving it
        again is the user's choice to write over the other change.
        """
        sent = self.submitted.get(VERSION_FIELD) if self.submitted is not None else None
        if isinstance(sent, str) and sent and self.conflict is None:
            return sent
        return version_of(self.context)

    @property
    def user_id(self) -> str:
        """The logged-in user's id."""
        principal = self.request.principal
        return principal.id if principal is not None and principal.id else ""

    def can(self, action: str, obj=None) -> bool:
        """Return whether the user may perform `action` on `obj` (default: the context)."""
        return self.request.policy.can(action, self.context if obj is None else obj)

    @property
    def page_title(self) -> str:
        """The heading of the page: the object's title or name."""
        return label_of(self.context)

    @property
    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(label, URL) pairs from the site root to the context."""
        root = self.request.url_root
        trail = []
        for node in lineage(self.context):
            trail.append((label_of(node) if node is not root else "Home", self.url(node)))
            if node is root:
                break
        trail.reverse()
        return trail

    @property
    def tab_list(self) -> list[TabLink]:
        """The tabs the user may open here: title, URL and whether it is this one."""
        return [TabLink(tab.title, self.public_url() if tab.public else self.url(screen=tab.name),
                        tab.name == self.name)
                for tab in tabs.tabs_for(self.context) if self.can(tab.action)]

    @property
    def tab_title(self) -> str:
        """The title of this screen: its tab's, or its heading."""
        for tab in tabs.tabs_for(self.context):
            if tab.name == self.name:
                return tab.title
        return self.heading

    @property
    def tree(self) -> tree.Node:
        """The navigation tree, opened up to the context."""
        return tree.build_tree(self.context, self.request.url_root, self.url)

    @property
    def logout_url(self) -> str:
        """Where the logout form posts."""
        return self.root_url + "/@@logout"

    def widget(self, name: str, label: str, *, kind: str = "line", required: bool = False,
               default="", help: str = "") -> Widget:
        """Return a widget for field `name`, showing what was typed after a failure."""
        return Widget(name, label, kind, self.value(name, default), required, help,
                      self.errors.get(name, ""))

    def choice_widget(self, name: str, label: str, options, *, default=()) -> Widget:
        """Return a set of checkboxes for `options`, ticked as submitted or as `default`."""
        chosen = default
        if self.submitted is not None and name in self.submitted:
            chosen = self.submitted.getall(name)
        return Widget(name, label, "checkboxes", tuple(chosen),
                      options=tuple((option, option) for option in options),
                      error=self.errors.get(name, ""))

    def value(self, name: str, default=""):
        """Return the submitted value of `name` after a failure, else `default`."""
        if self.submitted is not None and name in self.submitted:
            return self.submitted.get(name)
        return default
