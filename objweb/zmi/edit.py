"""The Edit tab: a form over the type's own fields, with an editor for code.

A Page's body, a Template's source and a Script's body are edited in a
text area that the script turns into an editor with line numbers; a
`SourceError` from the object is shown beside the field and at its line.
A File or an Image takes a new upload, with a progress bar when scripts
run; an Image shows a preview.
"""

import mimetypes

import webob

from objweb.content.base import Item
from objweb.content.file import File
from objweb.content.image import Image
from objweb.content.schema import fields_of
from objweb.security.protections import CHANGE
from objweb.traversal.location import path_of
from objweb.zmi import concurrency
from objweb.zmi.display import format_size, format_time
from objweb.zmi.forms import (
    Widget, form_values, schema_widgets, uploaded_file, uses_code_editor)
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen


def has_edit_form(obj) -> bool:
    """Whether `obj` has fields to edit besides its title (which Properties edits)."""
    return any(field.writable and field.name != "title" for field in fields_of(obj))


@screen(Item, "manage_edit", title="Edit", order=20, post_action=CHANGE,
        condition=has_edit_form)
class EditScreen(Screen):
    """The form over an object's fields."""

    template = "edit.pt"
    format_size = staticmethod(format_size)
    format_time = staticmethod(format_time)

    def stored_values(self) -> dict:
        """The stored values of the object's writable fields (not its data)."""
        obj = self.context
        return {field.name: getattr(obj, field.name, "")
                for field in fields_of(obj) if field.writable and field.kind != "base64"}

    @property
    def widgets(self) -> list[Widget]:
        """The widgets of the object's writable fields, filled with its values."""
        obj = self.context
        values = self.stored_values()
        if self.submitted is not None:
            values.update((name, value) for name, value in self.submitted.items()
                          if isinstance(value, str))
        widgets = schema_widgets(type(obj), values, self.errors, self.error)
        for index, widget in enumerate(widgets):
            if widget.kind == "file":
                widgets[index] = Widget(
                    widget.name, "Replace the file with", "file", error=widget.error,
                    help=f"Now {format_size(obj.size)}, {obj.content_type}.")
        return widgets

    @property
    def code_editor(self) -> bool:
        """Whether the form has code to edit, and so loads the editor."""
        return uses_code_editor(self.widgets)

    @property
    def is_file(self) -> bool:
        """Whether the object holds uploaded data."""
        return isinstance(self.context, File)

    @property
    def is_image(self) -> bool:
        """Whether the object is an image with a size (so a preview can be shown)."""
        return isinstance(self.context, Image) and bool(self.context.width)

    @property
    def preview_url(self) -> str:
        """The image's URL, changing with each upload so the preview is never stale."""
        return f"{self.public_url()}?v={int(self.context.modified * 1000)}"

    @property
    def can_change(self) -> bool:
        """Whether the user may save this form."""
        return self.can(CHANGE)

    @command("save")
    def save(self) -> webob.Response:
        """Change the fields, and replace the data if a file was uploaded: all or nothing."""
        obj = self.context
        post = self.request.POST
        values = form_values(type(obj), post)
        upload = uploaded_file(post, "data") if self.is_file else None
        stored = schema_widgets(type(obj), self.stored_values(), {})
        conflict = concurrency.find_conflict(obj, post, stored)
        if conflict is not None:
            return self.show_conflict(conflict)
        if upload is not None and values.get("content_type", obj.content_type) == obj.content_type:
            detected = mimetypes.guess_type(upload.filename)[0] or getattr(upload, "type", "")
            if detected:
                values["content_type"] = detected
        values, html_note = self.cleaned_html(obj, values, obj)
        obj.edit(**values)
        if upload is not None:
            obj.write(upload.file)
        self.note(f"Edited {path_of(obj)}")
        return self.redirect_saved(self.url(screen=self.name), "Saved your changes.", html_note)
