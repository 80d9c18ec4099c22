"""The sandbox for Scripts and Templates written through the web.

Restricted code compiles with RestrictedPython's policy, tightened (see
`compiler`), and runs with guards that send every attribute, item and
iteration through the same security policy as URLs (`access`,
`iteration`), within a time budget and size limits (`limits`), with the
rights of both its user and its owner (`run`).
"""

from objweb.sandbox.bindings import BoundCode, RequestView, ResponseView, UploadView
from objweb.sandbox.budget import Limits
from objweb.sandbox.failures import CodeError, CodeLimitError, NotPublishedError
from objweb.sandbox.run import CodePolicy, active_run, current_run
from objweb.sandbox.scripts import (
    COMPUTED_DEFAULT, REQUIRED, CompiledScript, Parameter, call_script, compile_script)
from objweb.sandbox.templates import CompiledTemplate, render_template

__all__ = [
    "COMPUTED_DEFAULT", "REQUIRED", "BoundCode", "CodeError", "CodeLimitError", "CodePolicy",
    "CompiledScript", "CompiledTemplate", "Limits", "NotPublishedError", "Parameter",
    "RequestView", "ResponseView", "UploadView", "active_run", "call_script",
    "compile_script", "current_run", "render_template",
]
