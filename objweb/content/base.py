"""What every object in the tree has: a title, a place, times and an owner.

`Item` is the one persistent base of objweb's content types. Its security
settings are held in a separate record (see `objweb.security.settings`) and
its management screens live in `objweb.zmi`, so the class itself stays small.
"""

import time

from persistent import Persistent

from objweb.content.schema import TITLE, convert_values
from objweb.errors import ValidationError
from objweb.security import protections
from objweb.security import settings as security_settings
from objweb.security.principals import current_user_id


class Item(Persistent):
    """A persistent object with a title, a name, a parent, times and an owner.

    `created` and `modified` are seconds since the epoch. `owner` is the id
    of the user who created the object (None for objects made by trusted code
    with no user). Changing fields goes through `edit`, which validates
    everything before changing anything.
    """

    type_name = "Item"
    __name__ = None
    __parent__ = None
    __fields__ = (TITLE,)
    __protections__ = {}
    is_container = False
    is_acquirable = False
    owner = None
    _security = None
    # What Scripts and Templates may read besides the fields (each readable
    # with its read_action), and the action guarding each name; anything not
    # listed is refused to code (see objweb.security.sandbox.access).
    __code_access__ = {
        "id": protections.VIEW, "path": protections.VIEW,
        "absolute_url": protections.VIEW, "type_name": protections.VIEW,
        "created": protections.VIEW, "modified": protections.VIEW,
        "owner": protections.VIEW, "edit": protections.CHANGE,
    }

    def __init__(self, title: str = ""):
        now = time.time()
        self.created = now
        self.modified = now
        self.owner = current_user_id()
        self.title = TITLE.convert(title)

    def touch(self) -> None:
        """Record that the object changed now."""
        self.modified = time.time()

    def edit(self, **values) -> None:
        """Set the named fields, validated by the type's schema, all or nothing.

        Raises `ValidationError` for an unknown field or a bad value; then
        nothing changed.
        """
        converted = convert_values(self, values)
        self.apply_values(converted)
        self.touch()

    def apply_values(self, values: dict) -> None:
        """Store already-validated field values; types with derived state override this."""
        for name, value in values.items():
            setattr(self, name, value)

    def check_container(self, container) -> None:
        """Raise if this object cannot be stored in `container`; types with needs override it.

        Called by a folder before it adds the object, so a refusal changes nothing.
        """

    def change_owner(self, user_id: str | None) -> None:
        """Make `user_id` the owner of this object (None: no owner)."""
        if user_id is not None and (not isinstance(user_id, str) or not user_id):
            raise ValidationError("an owner is a user id", "owner")
        self.owner = user_id

    def manage_permission(self, permission: str, roles=(), acquire: bool = True) -> None:
        """Give `permission` to `roles` here, adding the parent's roles if `acquire`.

        Raises `ValueError` for an unknown permission or role.
        """
        security_settings.set_permission(self, permission, roles, acquire)

    def manage_setLocalRoles(self, principal_id: str, roles) -> None:  # noqa: N802 (Zope's name)
        """Give the user or group `principal_id` exactly `roles` here and below.

        Raises `ValueError` for an unknown role.
        """
        security_settings.set_local_roles(self, principal_id, roles)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.__name__!r} at {id(self):#x}>"
