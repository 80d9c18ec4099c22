"""Page templates written through the web, compiled with Chameleon and run sandboxed.

A Template's source is compiled when it is saved: a source that does not
compile is refused with its line and column, and the object keeps its
previous source. Rendering runs in the sandbox of
`objweb.sandbox`, in the context of the object the Template was
reached through, with the rights of both the user and the Template's owner.
"""

from objweb.content import revisions
from objweb.content.base import Item, keep_compiled, kept_compiled
from objweb.content.schema import TITLE, Field
from objweb.sandbox import CompiledTemplate, render_template
# The protected actions by name; `protections` is the class attribute that maps them.
from objweb.security import protections as actions
from objweb.security.permissions import CHANGE_CODE

SOURCE = Field("source", "text", "Source", read_action=actions.MANAGE)


class Template(Item):
    """A Zope page template, acquired by name and rendered in its context."""

    type_name = "Template"
    is_acquirable = True
    fields = (TITLE, SOURCE)
    protections = {actions.CHANGE: CHANGE_CODE, actions.CREATE: CHANGE_CODE}
    code_access = {"macros": actions.VIEW}
    code_fields = ("source",)
    history_fields = ("source",)
    source_language = "html"
    # What the add form starts from: a Template that works as it stands.
    starter_values = {"source": """<!DOCTYPE html>
<html>
<head><title tal:content="context/title">The title</title></head>
<body>
  <h1 tal:content="context/title">The title</h1>
  <p>Rendered for <span tal:replace="user/title">someone</span>, with the options
    <code tal:content="python: sorted(options)">names</code>.</p>
  <ul>
    <li tal:repeat="word python: ['one', 'two', 'three']" tal:content="word">a word</li>
  </ul>
</body>
</html>
"""}

    def __init__(self, title: str = "", source: str = ""):
        super().__init__(title)
        source = SOURCE.convert(source)
        compiled = CompiledTemplate(source, self)
        self.source = source
        keep_compiled(self, compiled)
        revisions.record(self)

    def apply_values(self, values: dict) -> None:
        """Store validated values; a new source must compile first (`SourceError` if not)."""
        compiled = CompiledTemplate(values["source"], self) if "source" in values else None
        super().apply_values(values)
        if compiled is not None:
            keep_compiled(self, compiled)

    def compiled(self) -> CompiledTemplate:
        """Return the compiled form of the current source, made in this process."""
        compiled = kept_compiled(self)
        if compiled is None or compiled.source != self.source:
            compiled = CompiledTemplate(self.source, self)
            keep_compiled(self, compiled)
        return compiled

    def check_stored_state(self) -> None:
        """Check the state as `Item` does; the source must compile (`SourceError` if not)."""
        super().check_stored_state()
        self.compiled()

    @property
    def macros(self):
        """The macros this template defines (`template/macros/page`)."""
        return self.compiled().macros

    def render(self, context=None, *, options=None, request=None, user_policy=None,
               limits=None) -> str:
        """Return the template rendered in `context` (default: its container).

        `request` is the request's view for code, `user_policy` the policy
        of the user it runs for (default: the current principal), `limits`
        its budget. Raises `CodeError` or `CodeLimitError` when the code
        fails or runs past a limit; denials raise `Unauthorized` or
        `Forbidden`.
        """
        return render_template(self.compiled(), template=self,
                               context=self.__parent__ if context is None else context,
                               options=options, request=request, user_policy=user_policy,
                               limits=limits)

    def call_in(self, context, *args, **options) -> str:
        """Return the template rendered in `context`, with keyword `options` (from code)."""
        if args:
            raise TypeError("a Template takes keyword options only")
        return self.render(context, options=options)

    def __call__(self, **options) -> str:
        return self.call_in(self.__parent__, **options)
