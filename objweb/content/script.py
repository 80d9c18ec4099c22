"""Python scripts written through the web, compiled with RestrictedPython and run sandboxed.

A Script is a function: a parameter list (`name='world', n=1`) and a body.
Both are compiled when saved; code that does not compile is refused with its
line and column, and the Script keeps its previous version. A call runs in
the sandbox of `objweb.sandbox` with the rights of both the user
and the Script's owner, unless a manager gave the Script proxy roles, which
then replace the user's.
"""

from objweb.content import revisions
from objweb.content.base import Item, keep_compiled, kept_compiled
from objweb.content.schema import TITLE, Field
from objweb.errors import ValidationError
from objweb.sandbox import CompiledScript, call_script, compile_script
# The protected actions by name; `protections` is the class attribute that maps them.
from objweb.security import protections as actions
from objweb.security.permissions import AUTOMATIC_ROLES, CHANGE_CODE
from objweb.security.rolemap import valid_roles

PARAMS = Field("params", "line", "Parameters", read_action=actions.MANAGE)
BODY = Field("body", "text", "Body", read_action=actions.MANAGE)
PROXY_ROLES = Field("proxy_roles", "lines", "Proxy roles", read_action=actions.MANAGE,
                    writable=False)


class Script(Item):
    """A restricted Python function, acquired by name and called in its context."""

    type_name = "Script"
    is_acquirable = True
    fields = (TITLE, PARAMS, BODY, PROXY_ROLES)
    protections = {actions.CHANGE: CHANGE_CODE, actions.CREATE: CHANGE_CODE}
    code_fields = ("params", "body")
    history_fields = ("params", "body")
    source_language = "python"
    # What the add form starts from: a Script that works as it stands.
    starter_values = {
        "params": "name='world'",
        "body": ("# The parameters are above; context, container, script, request and\n"
                 "# traverse_subpath are bound. Return text, or a dict or list for JSON.\n"
                 "where = context.title or 'objweb'\n"
                 "return 'Hello %s, from %s!' % (name, where)\n"),
    }
    proxy_roles: tuple = ()

    def __init__(self, title: str = "", params: str = "", body: str = ""):
        super().__init__(title)
        params, body = PARAMS.convert(params), BODY.convert(body)
        compiled = compile_script(params, body)
        self.params = params
        self.body = body
        keep_compiled(self, compiled)
        revisions.record(self)

    def apply_values(self, values: dict) -> None:
        """Store validated values; new code must compile first (`SourceError` if not)."""
        compiled = None
        if "params" in values or "body" in values:
            compiled = compile_script(values.get("params", self.params),
                                      values.get("body", self.body))
        super().apply_values(values)
        if compiled is not None:
            keep_compiled(self, compiled)

    def compiled(self) -> CompiledScript:
        """Return the compiled form of the current parameters and body, made in this process."""
        compiled = kept_compiled(self)
        if compiled is None or compiled.body != self.body or compiled.params != self.params:
            compiled = compile_script(self.params, self.body)
            keep_compiled(self, compiled)
        return compiled

    def check_stored_state(self) -> None:
        """Check the state as `Item` does; the code must compile, proxy roles be role names.

        Raises `ValidationError` (`SourceError` for code that does not compile).
        """
        super().check_stored_state()
        roles = self.proxy_roles
        if not isinstance(roles, tuple) or not all(isinstance(role, str) for role in roles):
            raise ValidationError("proxy roles are a list of role names", "proxy_roles")
        self.compiled()

    @property
    def parameters(self):
        """The named parameters, as `objweb.sandbox.Parameter` records."""
        return self.compiled().parameters

    def run(self, context=None, *, args=(), kwargs=None, request=None, subpath=(),
            user_policy=None, limits=None):
        """Return what the Script returns, called in `context` (default: its container).

        `request` is the request's view for code, `subpath` the
        `traverse_subpath`, `user_policy` the policy of the user it runs for
        (default: the current principal), `limits` its budget. Raises
        `CodeError` or `CodeLimitError` when the code fails or runs past a
        limit; denials raise `Unauthorized` or `Forbidden`.
        """
        return call_script(self.compiled(), script=self,
                           context=self.__parent__ if context is None else context,
                           args=args, kwargs=kwargs, subpath=subpath, request=request,
                           user_policy=user_policy, limits=limits)

    def call_in(self, context, *args, **kwargs):
        """Return what the Script returns, called in `context` (from code)."""
        return self.run(context, args=args, kwargs=kwargs)

    def __call__(self, *args, **kwargs):
        return self.call_in(self.__parent__, *args, **kwargs)

    def set_proxy_roles(self, roles, granted_by=None) -> None:
        """Make `roles` the roles this Script runs with, whoever calls it.

        `granted_by` is the security policy of the user giving them, who must
        hold every one of them here; None is trusted code. Raises
        `ValidationError` for an unknown role, an automatic one, or a role
        the giver does not hold.
        """
        if isinstance(roles, str) or not all(isinstance(role, str) for role in roles):
            raise ValidationError("proxy roles are a list of role names", "proxy_roles")
        roles = frozenset(roles)
        unknown = roles - set(valid_roles(self))
        if unknown:
            raise ValidationError(f"unknown role(s): {', '.join(sorted(unknown))}", "proxy_roles")
        if roles & AUTOMATIC_ROLES:
            raise ValidationError(f"{', '.join(sorted(roles & AUTOMATIC_ROLES))} cannot be "
                                  f"a proxy role", "proxy_roles")
        if granted_by is not None:
            missing = roles - granted_by.roles_in(self)
            if missing:
                raise ValidationError(f"you can give only roles you hold here; not "
                                      f"{', '.join(sorted(missing))}", "proxy_roles")
        self.proxy_roles = tuple(sorted(roles))
        self.touch()
