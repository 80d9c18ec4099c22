"""The Properties tab: the title, and the object's typed custom properties."""

import webob

from objweb.content import properties
from objweb.content.base import Item
from objweb.content.values import KINDS
from objweb.errors import ValidationError
from objweb.security.protections import CHANGE
from objweb.traversal.location import path_of
from objweb.zmi import concurrency
from objweb.zmi.display import format_time
from objweb.zmi.forms import Widget, from_form
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

PREFIX = "property."


@screen(Item, "manage_properties", title="Properties", order=30, post_action=CHANGE)
class PropertiesScreen(Screen):
    """The title and the custom properties of an object, with forms to add and remove them."""

    template = "properties.pt"
    kinds = properties.KINDS
    format_time = staticmethod(format_time)

    @property
    def widgets(self) -> list[Widget]:
        """The title, then one widget per property, filled with current (or typed) values."""
        # Only a failed save shows what was typed; after any other command the
        # form shows what is stored, so that saving it next writes no blanks.
        typed = self.submitted if self.submitted is not None \
            and self.submitted.get("command") == "save" else None
        return self.field_widgets(typed)

    def field_widgets(self, typed) -> list[Widget]:
        """The title and property widgets, filled from `typed` (a form) or, if None, as stored."""
        title = typed.get("title", "") if typed is not None else self.context.title
        found = [Widget("title", "Title", value=title, error=self.errors.get("title", ""))]
        for prop in properties.properties_of(self.context):
            name = PREFIX + prop.name
            value = _typed_value(prop, typed, name) if typed is not None else _shown_value(prop)
            found.append(Widget(name, prop.name, KINDS[prop.kind].widget, value,
                                help=_help(prop), error=self.errors.get(name, ""),
                                options=self.options(prop)))
        return found

    def options(self, prop: properties.Property) -> tuple:
        """The (value, label) choices of a selection property; () for other kinds."""
        if prop.kind not in properties.SELECTIONS:
            return ()
        choices = tuple((option, option) for option in properties.options_of(
            self.context, prop.name))
        return (("", "(none)"),) + choices if prop.kind == "selection" else choices

    @property
    def option_sources(self) -> list[str]:
        """The properties whose value may give a new selection its options."""
        return [prop.name for prop in properties.properties_of(self.context)
                if prop.kind in properties.OPTION_KINDS]

    @property
    def has_properties(self) -> bool:
        """Whether the object has custom properties."""
        return bool(properties.properties_of(self.context))

    @property
    def property_names(self) -> list[str]:
        """The names of the custom properties."""
        return [prop.name for prop in properties.properties_of(self.context)]

    @property
    def can_change(self) -> bool:
        """Whether the user may save these forms."""
        return self.can(CHANGE)

    @command("save")
    def save(self) -> webob.Response:
        """Save the title and every property's value: all or none."""
        post = self.request.POST
        conflict = concurrency.find_conflict(self.context, post, self.field_widgets(None))
        if conflict is not None:
            return self.show_conflict(conflict)
        values = {}
        for prop in properties.properties_of(self.context):
            name = PREFIX + prop.name
            values[prop.name] = _posted_value(prop, post, name)
        try:
            properties.set_properties(self.context, values)
        except ValidationError as error:
            raise ValidationError(str(error), PREFIX + (error.field or "")) from None
        self.context.edit(title=post.get("title", ""))
        self.note(f"Changed the properties of {path_of(self.context)}")
        return self.redirect(self.url(screen=self.name), "Saved the properties.")

    @command("add_property")
    def add(self) -> webob.Response:
        """Add one property."""
        post = self.request.POST
        name = (post.get("new_name") or "").strip()
        try:
            properties.add_property(self.context, name, post.get("new_kind", ""),
                                    from_form(post.get("new_value", "")),
                                    options_from=post.get("new_options_from", ""))
        except ValidationError as error:
            raise ValidationError(str(error), f"new_{error.field or 'value'}") from None
        self.note(f"Added the property {name} to {path_of(self.context)}")
        return self.redirect(self.url(screen=self.name), f"Added the property {name!r}.")

    @command("delete_properties")
    def delete(self) -> webob.Response:
        """Remove the ticked properties."""
        names = self.request.POST.getall("delete")
        if not names:
            raise ValidationError("tick the properties to remove first", "delete")
        try:
            properties.remove_properties(self.context, names)
        except ValidationError as error:
            raise ValidationError(str(error), "delete") from None
        self.note(f"Removed properties {', '.join(names)} of {path_of(self.context)}")
        return self.redirect(self.url(screen=self.name),
                             f"Removed {len(names)} propert{'y' if len(names) == 1 else 'ies'}.")


def _help(prop: properties.Property) -> str:
    if prop.kind in properties.SELECTIONS:
        return f"{prop.kind}, from {prop.options_from}"
    if prop.kind == "tokens":
        return "tokens: words apart by spaces"
    return prop.kind


def _shown_value(prop: properties.Property):
    """The stored value of `prop` as its input shows it."""
    if prop.kind == "date":
        return prop.value.isoformat() if prop.value else ""
    if prop.kind == "tokens":
        return " ".join(prop.value)
    return prop.value


def _typed_value(prop: properties.Property, typed, name: str):
    """The value of `prop` as the form `typed` sent it."""
    if prop.kind == "boolean":
        return name in typed
    if prop.kind == "multiple selection":
        return tuple(typed.getall(name))
    return typed.get(name, "")


def _posted_value(prop: properties.Property, post, name: str):
    """The value to store for `prop` from the posted form."""
    if prop.kind == "boolean":
        return name in post
    if prop.kind == "multiple selection":
        return [from_form(value) for value in post.getall(name) if isinstance(value, str)]
    return from_form(post.get(name, ""))
