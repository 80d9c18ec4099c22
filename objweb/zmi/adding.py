"""The add forms: one per type that may be added to a folder, built from its schema."""

from dataclasses import replace

import webob

from objweb.content.file import File
from objweb.content.folder import Folder
from objweb.content.image import Image
from objweb.content.registry import addable_types, construct
from objweb.content.schema import convert_values
from objweb.errors import NameInUseError, ValidationError
from objweb.names import NAME_RULE
from objweb.security.protections import ADD, CREATE, permission_for
from objweb.traversal.location import path_of
from objweb.zmi.forms import (
    Widget, form_values, schema_widgets, uploaded_file, uses_code_editor)
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

# Types that only work under one name: the user folder of a folder is its `acl_users`.
FIXED_NAMES = {"UserFolder": "acl_users"}


@screen(Folder, "manage_add", action=ADD)
class AddScreen(Screen):
    """The form that adds an object of one type (`?type=Page`) to a folder."""

    template = "add.pt"

    def get(self) -> webob.Response:
        """Render the add form of the requested type.

        Raises `ValidationError` (a 400) for a type that cannot be added here.
        """
        self.type = self.chosen_type()
        return self.render()

    @property
    def heading(self) -> str:
        """The page's heading: `Add Page`."""
        return f"Add {self.type.type_name}"

    def chosen_type(self) -> type:
        """Return the type named by the `type` parameter, if it may be added here.

        Raises `ValidationError` otherwise.
        """
        type_name = self.request.params.get("type", "")
        for cls in addable_types(self.context):
            if cls.type_name == type_name:
                return cls
        raise ValidationError(f"a {type_name or 'nameless type'!r} cannot be added here", "type")

    @property
    def widgets(self) -> list[Widget]:
        """The name field, then the type's own fields."""
        values = (dict(self.submitted.items()) if self.submitted is not None
                  else dict(getattr(self.type, "starter_values", {})))
        fixed = FIXED_NAMES.get(self.type.type_name)
        from_upload = issubclass(self.type, File)
        # The form opens with the name field focused, ready for typing.
        name = Widget("name", "Name", value=self.value("name", fixed or ""),
                      required=not from_upload, attributes={"autofocus": True},
                      help=("Leave empty to use the file's name. " if from_upload else "")
                      + f"Part of the URL. {NAME_RULE}",
                      error=self.errors.get("name", ""))
        widgets = [name] + schema_widgets(self.type, values, self.errors, self.error)
        for index, widget in enumerate(widgets):
            if widget.name == "content_type":
                widgets[index] = replace(widget, help="Leave empty to detect it from the file.")
            if widget.name == "data":
                widgets[index] = replace(widget, label="File",
                                         required=issubclass(self.type, Image))
        return widgets

    @property
    def code_editor(self) -> bool:
        """Whether the form has code to edit, and so loads the editor."""
        return uses_code_editor(self.widgets)

    @property
    def has_upload(self) -> bool:
        """Whether the form sends a file (and so needs multipart encoding)."""
        return any(widget.kind == "file" for widget in self.widgets)

    @command("add", action=ADD)
    def add(self) -> webob.Response:
        """Make the object from the form and add it; redirect to the folder or the new object."""
        self.type = cls = self.chosen_type()
        self.request.policy.check_permission(permission_for(cls, CREATE), self.context)
        post = self.request.POST
        name = (post.get("name") or "").strip() or name_of_upload(cls, post)
        fixed = FIXED_NAMES.get(cls.type_name)
        if fixed and name != fixed:
            raise ValidationError(f"a {cls.type_name} must be named {fixed!r}", "name")
        try:
            self.context.check_new_name(name)
        except (ValueError, NameInUseError) as error:
            raise ValidationError(str(error), "name") from None
        values, html_note = self.cleaned_html(cls, form_values(cls, post), self.context)
        obj = build(cls, post, values)
        self.context.add(name, obj)
        self.note(f"Added {cls.type_name} {path_of(obj)}")
        message = f"Added the {cls.type_name.lower()} {name!r}."
        if post.get("then") == "edit":
            return self.redirect_saved(self.url(obj), message, html_note)
        return self.redirect_saved(self.url(screen="manage_contents"), message, html_note)


def name_of_upload(cls: type, post) -> str:
    """Return the name of the file uploaded for a new File or Image ("" for other types).

    Browsers send a name alone; an old one may send a whole path, of which
    the last part is the file's name.
    """
    upload = uploaded_file(post, "data") if issubclass(cls, File) else None
    if upload is None:
        return ""
    return upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


def build(cls: type, post, values: dict):
    """Return a new object of type `cls` made from a submitted form and its `values`.

    Raises `ValidationError` for a bad value, or an Image upload that is
    not an image.
    """
    if not issubclass(cls, File):
        return construct(cls.type_name, values)
    upload = uploaded_file(post, "data")
    if upload is None and issubclass(cls, Image):
        raise ValidationError("choose an image file to upload", "data")
    if not values.get("content_type"):
        values.pop("content_type", None)
        sent_type = getattr(upload, "type", "") if upload is not None else ""
        if sent_type and sent_type != "application/octet-stream":
            values["content_type"] = sent_type
    converted = convert_values(cls, values)
    obj = cls(**converted, filename=upload.filename if upload is not None else None)
    if upload is not None:
        obj.write(upload.file)
    if issubclass(cls, Image) and not obj.width:
        raise ValidationError("this file is not a PNG, JPEG, GIF or WebP image", "data")
    return obj
