"""The frame every management screen shares: the page, its tabs, forms and answers.

Each screen is a small class, marked with its name, tab and action by
`objweb.zmi.registration.screen`. A GET renders the screen. A POST names a command,
carries the CSRF token, changes what it must and redirects with a message
(POST, redirect, GET). A command that fails renders its screen again with
the error and answers 400, so the publisher aborts the transaction: nothing
half-done is ever committed.
"""

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import webob
import webob.exc
from chameleon import PageTemplateLoader

from objweb.content.markup import clean_html_fields, describe_removed
from objweb.errors import Forbidden, NameInUseError, NotFoundError
from objweb.security.headers import MANAGEMENT_HEADERS
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from objweb.security.protections import MANAGE
from objweb.storage.history import CHANGE_MARK_KEY, REQUEST_PATH_KEY
from objweb.traversal.location import lineage
from objweb.web.boundary import problem_for
from objweb.zmi import static, tree
from objweb.zmi.concurrency import VERSION_FIELD, Conflict, version_of
from objweb.zmi.display import format_moment, iso_time, label_of
from objweb.zmi.flash import Flash, clear_flash, read_flash, write_flash
from objweb.zmi.forms import Widget
from objweb.zmi.registration import has_public_view, tabs_for

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


@dataclass(frozen=True)
class TabLink:
    """A tab as a page shows it."""

    title: str
    url: str
    current: bool


# -- the screen --------------------------------------------------------------------

RESUMED = "You are logged in again. What you typed is below, not saved yet: check it and save."
# Said when the one CSRF check refused a form this site sent, shown again as typed.
FORM_EXPIRED = ("This form had expired, so nothing was saved. What you typed is below: "
                "check it and send it again.")

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
    # Whether the page loads the code editor's script (a large file, so only where needed).
    code_editor = False
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
        self.flash = read_flash(request) if request.method == "GET" else None

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
        """Check the command's action, then run the command.

        The publisher has checked the CSRF token already (a screen's POST
        always needs it). A refusal of the policy is shown on the screen
        (`forbidden`). Raises `HTTPBadRequest` for an unknown command.
        """
        if self.request.POST.get("resume") == "1":
            return self.resume()
        name = self.request.POST.get("command", "")
        found = self.commands.get(name)
        if found is None:
            raise webob.exc.HTTPBadRequest(detail=f"this screen has no command {name!r}")
        attribute, spec = found
        # A command that fails part way shows the page as it was before it began;
        # the publisher aborts the whole transaction after the 4xx anyway.
        savepoint = self.request.connection.transaction_manager.get().savepoint(optimistic=True)
        try:
            for action in self.actions_of(name):
                self.request.policy.check(action, self.context)
            return getattr(self, attribute)()
        except INPUT_ERRORS as error:
            savepoint.rollback()
            return self.failed(error)
        except Forbidden as error:
            savepoint.rollback()
            return self.forbidden(error)

    def actions_of(self, name: str) -> list[str]:
        """Return the actions command `name` needs: the screen's for a POST, and its own."""
        spec = getattr(type(self), "screen_spec", None)
        needed = [spec.post_action] if spec is not None and spec.post_action else []
        own = self.commands[name][1].action
        return needed + ([own] if own else [])

    def may(self, name: str) -> bool:
        """Whether the user may run command `name` here: a form offers only those."""
        return name in self.commands and all(self.can(action) for action in self.actions_of(name))

    def forbidden(self, error: Forbidden) -> webob.Response:
        """Show the screen with the policy's refusal of a command; answer 403 (nothing changed).

        The refusal's record goes to the log, as the error boundary logs any.
        """
        message = problem_for(error).message
        self.flash = Flash("error", f"{message} Nothing was changed.")
        response = self.get()
        response.status = 403
        return response

    def failed(self, error: Exception, field: str | None = None) -> webob.Response:
        """Render the screen again with `error` beside its field; answer 400."""
        field = field or getattr(error, "field", None) or ""
        self.errors[field] = str(error)
        self.error = error
        self.submitted = self.request.POST
        response = self.show_failure()
        response.status = 400
        return response

    def token_refused(self) -> webob.Response:
        """Show the form again with what was typed and a fresh token; answer 403.

        The publisher's one CSRF check calls this (through `register_screen`)
        only for a post the browser says this site's page sent: a forged post
        is never filled in. Nothing has changed.
        """
        return self.show_typed(FORM_EXPIRED, status=403)

    def resume(self) -> webob.Response:
        """Show the form as typed before the session ended (changing nothing)."""
        return self.show_typed(RESUMED)

    def show_typed(self, message: str, *, status: int = 200) -> webob.Response:
        """Render the screen with the posted values in its forms, under `message`."""
        self.submitted = self.request.POST
        self.flash = Flash("info", message)
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
            clear_flash(self.request, response)
        return secure(response)

    def redirect(self, url: str, message: str, *, kind: str = "success",
                 link_url: str = "", link_text: str = "") -> webob.Response:
        """Return a 303 to `url` that shows `message` on the page it leads to."""
        response = webob.Response(status=303, location=url)
        write_flash(self.request, response, Flash(kind, message, link_url, link_text))
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
        return has_public_view(self.request.registry, self.context)

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
        return self.request.csrf_token

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

    def batch_size_asked(self, size: int) -> str:
        """`size` for a batch link if the query named a size; empty (the default) if not."""
        return str(size) if "b_size" in self.request.params else ""

    def can(self, action: str, obj=None) -> bool:
        """Return whether the user may perform `action` on `obj` (default: the context)."""
        return self.request.policy.can(action, self.context if obj is None else obj)

    @property
    def page_title(self) -> str:
        """The heading of the page: the object's title or name."""
        return label_of(self.context)

    @property
    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(label, URL) pairs from the site root to the context; the URL is "" where no screen opens."""
        root = self.request.url_root
        trail = []
        for node in lineage(self.context):
            trail.append((label_of(node) if node is not root else "Home", self.screen_link(node)))
            if node is root:
                break
        trail.reverse()
        return trail

    @property
    def home_url(self) -> str:
        """Where the brand leads: the topmost screen on the way here that the user may open."""
        for _label, url in self.breadcrumbs:
            if url:
                return url
        return self.url()

    @property
    def tab_list(self) -> list[TabLink]:
        """The tabs the user may open here: title, URL and whether it is this one."""
        return [TabLink(tab.title, self.public_url() if tab.public else self.url(screen=tab.name),
                        tab.name == self.name)
                for tab in tabs_for(self.request.registry, self.context) if self.can(tab.action)]

    @property
    def tab_title(self) -> str:
        """The title of this screen: its tab's, or its heading."""
        for tab in tabs_for(self.request.registry, self.context):
            if tab.name == self.name:
                return tab.title
        return self.heading

    @property
    def tree(self) -> tree.Node:
        """The navigation tree, opened up to the context."""
        return tree.build_tree(self.context, self.request.url_root, self.screen_link)

    def screen_link(self, obj, screen: str = "manage") -> str:
        """Return the URL of `screen` of `obj`, or "" where the user may open no screen.

        The tree and the breadcrumbs link only where a click leads to a
        screen: a user whose role is local to one folder sees the way to it,
        not links that end in a refusal.
        """
        return self.url(obj, screen=screen) if self.can(MANAGE, obj) else ""

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
