"""What every object in the tree has: a title, a place, times and an owner.

`Item` is the one persistent base of objweb's content types. Its security
settings are held in a separate record (see `objweb.security.rolemap`) and
its management screens live in `objweb.zmi`, so the class itself stays small.
"""

import time

from persistent import Persistent

from objweb.content.deadproperties import check_stored_properties
from objweb.content import revisions
from objweb.content.properties import check_properties
from objweb.content.schema import TITLE, convert_values, fields_of
from objweb.errors import ValidationError
from objweb.events import ObjectModified, SecurityChanged, notify
from objweb.sandbox.run import active_run
# The protected actions by name; `protections` is the class attribute that maps them.
from objweb.security import protections as actions
from objweb.security import ownership
from objweb.security import rolemap
from objweb.security.principals import TRUSTED_CODE, current_principal

# Compiled code is kept on the object it came from, marked with this token:
# no pickle can name an object made in this process, so whatever a stored
# state holds is never taken for code this process compiled.
_COMPILED_HERE = object()


def keep_compiled(obj, compiled) -> None:
    """Remember `compiled`, made in this process from `obj`'s source, until `obj` is unloaded."""
    obj._v_compiled = (_COMPILED_HERE, compiled)


def kept_compiled(obj):
    """Return what `keep_compiled` remembered for `obj`, or None."""
    kept = getattr(obj, "_v_compiled", None)
    if type(kept) is tuple and len(kept) == 2 and kept[0] is _COMPILED_HERE:
        return kept[1]
    return None


# What a type says about all its objects; an object's own state never says otherwise.
_TYPE_FACTS = frozenset({"type_name", "is_container", "is_acquirable", "code_fields",
                         "fields", "protections", "code_access", "history_fields",
                         "source_language"})


def _is_behaviour(found) -> bool:
    """Whether a class attribute is a method or a property, which no stored value may hide."""
    return callable(found) or isinstance(found, property)


class Item(Persistent):
    """A persistent object with a title, a name, a parent, times and an owner.

    `created` and `modified` are seconds since the epoch. `owner` is the id
    of the user who owns the object (None for objects made by trusted code
    with no user); the object stores it with the user folder that defines
    that user (see `objweb.security.ownership`). Changing fields goes through
    `edit`, which validates everything before changing anything; whoever
    changes a field in `code_fields` becomes the owner.
    """

    type_name = "Item"
    __name__ = None
    __parent__ = None
    fields = (TITLE,)
    protections = {}
    is_container = False
    is_acquirable = False
    # The fields that hold code that runs: writing them makes the writer the owner.
    code_fields: tuple = ()
    # The fields a source is made of: each change to them records a revision
    # (see `objweb.content.revisions`).
    history_fields: tuple = ()
    _security = None
    # What Scripts and Templates may read besides the fields (each readable
    # with its read_action), and the action guarding each name; anything not
    # listed is refused to code (see objweb.sandbox.guards).
    code_access = {
        "id": actions.VIEW, "path": actions.VIEW,
        "absolute_url": actions.VIEW, "type_name": actions.VIEW,
        "created": actions.VIEW, "modified": actions.VIEW,
        "owner": actions.VIEW, "edit": actions.CHANGE,
    }

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        # A field's default lives on the class: an object stored before the
        # field was added reads it without any upgrade step.
        for field in cls.__dict__.get("fields", ()):
            if not hasattr(cls, field.name):
                setattr(cls, field.name, field.default)

    def __init__(self, title: str = "", **values):
        """Make an object with `title` and, for a type's own fields, `values`.

        Fields not given read their default. Raises `ValidationError` for
        an unknown or read-only field, a bad value, or a required field left out.
        """
        converted = convert_values(self, values)
        for field in fields_of(self):
            if field.required and field.name not in converted and field.name != TITLE.name:
                raise ValidationError(f"{field.name}: a value is required", field.name)
        now = time.time()
        self.created = now
        self.modified = now
        self._owner = ownership.ownership_of(current_principal())
        self.title = TITLE.convert(title)
        self.apply_values(converted)

    def __setstate__(self, state):
        # Volatile and persistence attributes belong to this process: a state
        # read from storage (an import file, a database another program wrote)
        # never brings any, so no cached or compiled form is taken on trust.
        if isinstance(state, dict) and any(
                isinstance(key, str) and key.startswith(("_v_", "_p_")) for key in state):
            state = {key: value for key, value in state.items()
                     if not (isinstance(key, str) and key.startswith(("_v_", "_p_")))}
        super().__setstate__(state)

    @property
    def owner(self) -> str | None:
        """The id of the user who owns this object, or None."""
        return ownership.owner_id(ownership.stored_ownership(self))

    @owner.setter
    def owner(self, user_id: str | None) -> None:
        self.change_owner(user_id)

    @property
    def is_executable(self) -> bool:
        """Whether this object holds code that runs with its owner's rights."""
        return bool(self.code_fields)

    def check_stored_state(self) -> None:
        """Check state that did not come through `edit` as `edit` would, and derive the rest again.

        For objects read from an export file: a field value `edit` would
        refuse is refused, and what is derived from other state (a folder's
        length, a file's size) is computed anew. Raises `ValidationError`.
        """
        for field in fields_of(self):
            if field.writable and field.kind != "base64":
                value = getattr(self, field.name, None)
                converted = field.convert(value)
                if converted != value:
                    setattr(self, field.name, converted)
        for name in vars(self):
            if name in _TYPE_FACTS or _is_behaviour(getattr(type(self), name, None)) \
                    and name != ownership.LEGACY_ATTRIBUTE:
                raise ValidationError(f"{name}: the type's own, not an attribute", name)
        for name in ("created", "modified"):
            moment = getattr(self, name, None)
            if isinstance(moment, bool) or not isinstance(moment, (int, float)):
                raise ValidationError(f"{name}: not a time", name)
        if not ownership.is_well_formed(ownership.stored_ownership(self)):
            raise ValidationError("the owner is not an ownership record", "owner")
        try:
            rolemap.check_role_map(self)
        except ValueError as error:
            raise ValidationError(str(error), "security") from None
        check_properties(self)
        check_stored_properties(self)
        revisions.check_history(self)

    def touch(self) -> None:
        """Record that the object changed now, and announce it (`ObjectModified`)."""
        self.modified = time.time()
        notify(ObjectModified(self))

    def edit(self, **values) -> None:
        """Set the named fields, validated by the type's schema, all or nothing.

        A change to the source (`history_fields`) records a revision.
        Raises `ValidationError` for an unknown field or a bad value; then
        nothing changed.
        """
        converted = convert_values(self, values)
        writes_code = any(name in self.code_fields and value != getattr(self, name, None)
                          for name, value in converted.items())
        previous = revisions.source_values(self) if any(
            name in self.history_fields and value != getattr(self, name, None)
            for name, value in converted.items()) else None
        self.apply_values(converted)
        if writes_code:
            self._owner_for_new_code()
        if previous is not None:
            revisions.record(self, previous=previous)
        self.touch()

    def _owner_for_new_code(self) -> None:
        """Make whoever wrote new code into this object its owner, as Zope's ownership intends.

        Code that someone changed runs with their rights, never its former
        owner's. Inside a Script or Template run the writer is that code's
        owner (or its user, for code with no owner); trusted code with no
        user keeps the owner.
        """
        run = active_run()
        if run is not None:
            record = ownership.pinned(run.executable, ownership.stored_ownership(run.executable))
            if record is None:
                record = ownership.ownership_of(run.context.user_policy.principal, self)
        elif current_principal() == TRUSTED_CODE:
            return
        else:
            record = ownership.ownership_of(current_principal(), self)
        self.set_ownership(record)

    def set_ownership(self, record) -> None:
        """Store an ownership record as it is (see `objweb.security.ownership`); announce it.

        Raises `ValidationError` for a record no object may carry.
        """
        if not ownership.is_well_formed(record):
            raise ValidationError("not an ownership record", "owner")
        self._owner = record
        # An object stored before pairs keeps its bare owner id under the contract's name.
        vars(self).pop(ownership.LEGACY_ATTRIBUTE, None)
        notify(SecurityChanged(self))

    def apply_values(self, values: dict) -> None:
        """Store already-validated field values; types with derived state override this."""
        for name, value in values.items():
            setattr(self, name, value)

    def check_container(self, container) -> None:
        """Raise if this object cannot be stored in `container`; types with needs override it.

        Called by a folder before it adds the object, so a refusal changes nothing.
        """

    def change_owner(self, user_id: str | None) -> None:
        """Make `user_id` the owner of this object (None: no owner).

        The owner is the user of that name in the nearest user folder above
        the object that holds one (Zope's rule); where none does yet, the
        site's user of that name (see `objweb.security.ownership`). Raises
        `ValidationError` for an id that is not text.
        """
        if user_id is not None and (not isinstance(user_id, str) or not user_id):
            raise ValidationError("an owner is a user id", "owner")
        self.set_ownership(None if user_id is None else ownership.ownership_by_id(self, user_id))

    def manage_permission(self, permission: str, roles=(), acquire: bool = True) -> None:
        """Give `permission` to `roles` here, adding the parent's roles if `acquire`.

        Raises `ValueError` for an unknown permission or role.
        """
        rolemap.set_permission(self, permission, roles, acquire)

    def manage_setLocalRoles(self, principal_id: str, roles) -> None:  # noqa: N802 (Zope's name)
        """Give the user or group `principal_id` exactly `roles` here and below.

        Raises `ValueError` for an unknown role.
        """
        rolemap.set_local_roles(self, principal_id, roles)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.__name__!r} at {id(self):#x}>"
