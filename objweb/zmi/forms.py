"""Form fields as the screens render them, built from the content types' schemas.

A `Widget` says what one input looks like: its name, label, kind, current
value and the error to show beside it. The add and edit screens build their
widgets from a type's `fields`, so a field added to a type shows up in
its forms without touching a template.
"""

from dataclasses import dataclass, field
from datetime import date

from objweb.content.schema import fields_of
from objweb.content.values import KINDS, convert
from objweb.errors import SourceError, ValidationError

# The text fields that hold code or markup: edited with line numbers.
CODE_FIELDS = frozenset({"source", "body", "params"})


@dataclass(frozen=True)
class Widget:
    """One input of a form.

    `kind` is one of line, password, text, code (a text area with line
    numbers), int, float, bool, date, lines, select, checkboxes or file.
    `options` lists (value, label) pairs for select and checkboxes; `value`
    is then the selected value (or values).
    """

    name: str
    label: str
    kind: str = "line"
    value: object = ""
    required: bool = False
    help: str = ""
    error: str = ""
    options: tuple = ()
    error_line: int | None = None
    error_column: int | None = None
    attributes: dict = field(default_factory=dict)
    # What a code widget holds (html or python): the editor highlights it so.
    language: str = ""

    @property
    def input_id(self) -> str:
        """The id of the input, which its label points to."""
        return "field-" + "".join(ch if ch.isalnum() else "-" for ch in self.name)

    def is_selected(self, value) -> bool:
        """Whether the option `value` is chosen."""
        if isinstance(self.value, (list, tuple, set, frozenset)):
            return value in self.value
        return value == self.value

    @property
    def text_value(self) -> str:
        """The value as the text an input shows."""
        if self.value is None:
            return ""
        if isinstance(self.value, (list, tuple)):
            return "\n".join(str(item) for item in self.value)
        return str(self.value)

    @property
    def numbered_lines(self) -> list[tuple[int, str, bool]]:
        """(number, text, is the error's line) around the error line, for an editor."""
        if self.error_line is None:
            return []
        lines = self.text_value.split("\n")
        first = max(1, self.error_line - 3)
        last = min(len(lines), self.error_line + 3)
        return [(number, lines[number - 1], number == self.error_line)
                for number in range(first, last + 1)]


def widget_kind(type_field) -> str:
    """Return the widget kind for a schema field."""
    known = KINDS.get(type_field.kind)
    kind = known.widget if known is not None else "line"
    if kind == "text" and type_field.name in CODE_FIELDS:
        return "code"
    return kind


def _language(cls, type_field) -> str:
    if widget_kind(type_field) != "code":
        return ""
    return "python" if type_field.name == "params" else getattr(cls, "source_language", "")


def uses_code_editor(widgets) -> bool:
    """Whether any of `widgets` is edited in the code editor."""
    return any(widget.kind == "code" for widget in widgets)


def schema_widgets(cls, values, errors: dict, error=None) -> list[Widget]:
    """Return the widgets for the writable fields of type `cls`.

    `values` maps field names to the values to show (what was typed, after a
    failure). A `SourceError` in `error` marks its line in its field.
    """
    widgets = []
    for type_field in fields_of(cls):
        if not type_field.writable:
            continue
        line = column = None
        if isinstance(error, SourceError) and error.field == type_field.name:
            line, column = error.line, error.column
        widgets.append(Widget(
            name=type_field.name, label=type_field.label or type_field.name.title(),
            kind=widget_kind(type_field), value=values.get(type_field.name, ""),
            required=type_field.required, error=errors.get(type_field.name, ""),
            error_line=line, error_column=column, language=_language(cls, type_field)))
    return widgets


def uploaded_file(post, name: str):
    """Return the file uploaded in field `name` of a form, or None if none was chosen."""
    upload = post.get(name)
    if upload is None or not hasattr(upload, "file") or not getattr(upload, "filename", ""):
        return None
    return upload


def form_values(cls, post, *, skip=()) -> dict:
    """Return the raw values a form sent for the writable, non-file fields of type `cls`.

    An unticked checkbox sends nothing, so a missing boolean field is false.
    Text areas send CR LF line ends; they are stored as LF.
    """
    values = {}
    for type_field in fields_of(cls):
        if not type_field.writable or type_field.kind == "base64" or type_field.name in skip:
            continue
        if type_field.kind == "bool":
            values[type_field.name] = type_field.name in post
        elif type_field.name in post:
            values[type_field.name] = from_form(post.get(type_field.name))
    return values


def from_form(value):
    """Return a submitted value with the CR LF line ends that browsers send made LF."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def day_field(params, name: str, errors: dict) -> date | None:
    """Read an optional YYYY-MM-DD field; a malformed one is noted in `errors`."""
    try:
        return convert("date", (params.get(name) or "").strip(), name)
    except ValidationError as error:
        # The error goes beside its field, which names it already.
        errors[name] = str(error).removeprefix(f"{name}: ")
        return None
