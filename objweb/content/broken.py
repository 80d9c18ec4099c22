"""Objects whose class can no longer be imported: kept, shown, movable, never a 500.

When a package is removed, ZODB loads its objects as broken objects
(`ZODB.broken`): placeholders that hold the stored state untouched, so
that reinstalling the package brings them back whole. `class_factory` is
the class factory objweb's databases load classes with: for a class that
cannot be imported it gives a `BrokenItem`, which reads like an item (its
name, parent, title, times, owner and security settings come from the
stored state), refuses every change but its place, and names the class it
stands for. It is no `Item`: no view or screen of a working type applies
to it, only those registered for broken objects.
"""

import ZODB.broken
from persistent import Persistent

from objweb.security.ownership import owner_id, stored_ownership

# The attributes a move changes, the only ones a broken object lets anyone set.
PLACE = frozenset({"__parent__", "__name__"})


class _WrittenByName(type):
    """The type of broken classes: their objects are written naming their class by text.

    ZODB writes a class as a global reference, which pickle refuses for a
    class that cannot be imported; for a class whose `_p_oid` is an oid or
    None it writes the (module, name) pair instead, which ZODB reads back
    through the class factory: the real class once the package is back.
    """

    @property
    def _p_oid(cls):
        return None


class BrokenItem(ZODB.broken.PersistentBroken, metaclass=_WrittenByName):
    """A stored object whose class is missing: readable, deletable, movable, exportable."""

    type_name = "Broken"
    is_container = False
    is_acquirable = False
    fields = ()
    protections = {}
    code_access = {}
    code_fields = ()
    history_fields = ()
    __parent__ = None
    __name__ = None
    _security = None
    title = ""
    created = modified = 0.0

    def __setstate__(self, state):
        self.__dict__["__Broken_state__"] = state
        # Read like the object it stands for: its attributes as they were stored.
        if isinstance(state, dict):
            self.__dict__.update({key: value for key, value in state.items()
                                  if isinstance(key, str) and not key.startswith(("_p_", "_v_"))})

    def __setattr__(self, name, value):
        if name.startswith(("_p_", "_v_")):
            Persistent.__setattr__(self, name, value)
            return
        if name not in PLACE or not isinstance(self.__Broken_state__, dict):
            raise ZODB.broken.BrokenModified(f"{self.missing_class} is missing: "
                                             "its objects cannot be changed")
        # A move changes the stored state, kept whole for the class's return.
        self.__dict__["__Broken_state__"] = {**self.__Broken_state__, name: value}
        self.__dict__[name] = value
        self._p_changed = True

    def __getnewargs__(self):
        # Kept in the instance dict, which unloading (ghosting) the object empties.
        return self.__dict__.get("__Broken_newargs__", ())

    @property
    def missing_class(self) -> str:
        """The dotted name of the class this object's package no longer provides."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__name__}"

    @property
    def owner(self) -> str | None:
        """The id of the user who owned the object, as stored."""
        return owner_id(stored_ownership(self))

    def __repr__(self) -> str:
        return f"<broken {self.missing_class} {self.__name__!r}>"


_classes: dict[tuple[str, str], type] = {}


def broken_class(module: str, name: str) -> type:
    """Return the broken class standing for `module.name` (one per name, made once)."""
    found = _classes.get((module, name))
    if found is None:
        stand_in = _WrittenByName(name, (BrokenItem,), {"__module__": module})
        # ZODB asks a broken class for its persistent form (`persistentBroken`).
        found = type(name, (ZODB.broken.Broken,),
                     {"__module__": module, "__Broken_Persistent__": stand_in})
        _classes[module, name] = found
    return found


def class_factory(connection, module: str, name: str):
    """Return the class `module.name`, or its broken stand-in when it cannot be imported."""
    found = ZODB.broken.find_global(module, name)
    if isinstance(found, type) and issubclass(found, ZODB.broken.Broken):
        return broken_class(module, name)
    return found


def is_broken(obj) -> bool:
    """Return whether `obj` stands for an object whose class is missing."""
    return isinstance(obj, ZODB.broken.Broken)
