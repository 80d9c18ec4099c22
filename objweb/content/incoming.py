"""Objects that arrive by import or copy: what they must pass, and whose they become.

An import brings objects that came through no door that checks what it
stores, and a copy brings objects that someone else made. Before they join
the site:

- an import's subtree is checked whole (`check_subtree`): every item sits
  in its container under its own valid name, with its container as its
  parent (security is worked out along `__parent__`, so a parent that lies
  would let a file choose its own permissions, and no object can be in two
  places), and every object's state passes what `edit` would check, with
  derived state (lengths, sizes, compiled code) made again in this process;
- the user who brings them needs the right to create every type among
  them in the target, not only the top object's (`check_creation`), and for
  an import, the right to change permissions and local roles there if the
  file carries any;
- that user becomes the owner of every object they bring, and a Script
  keeps only the proxy roles its new owner holds there (`adopt`), as in
  Zope, where an import or a paste is owned by whoever made it;
- imported users never keep a password (see `objweb.storage.transfer` for
  copies);
- a Template, Script or Page starts a history of its own, one revision
  saying who brought it (see `objweb.content.revisions`): a file could
  name any author, and a copy's history stays the original's. Trusted
  code keeping a file's owners keeps its history too.

Trusted code (no policy) checks no permission. With no user it owns
nothing it imports, and the Scripts and Templates of an import are then
owned by nobody, so code from a file never runs with the rights of whoever
calls it; trusted code may keep the file's owners instead (`keep_owners`).
"""

from dataclasses import dataclass

from ZODB.POSException import StateLoadError

from objweb.content import revisions
from objweb.content.base import Item
from objweb.content.userfolder import UserFolder
from objweb.errors import ValidationError
from objweb.names import check_name
from objweb.security import ownership
from objweb.security.permissions import (
    AUTOMATIC_ROLES, CHANGE_LOCAL_ROLES, CHANGE_PERMISSIONS)
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import current_principal
from objweb.security.protections import CREATE, permission_for
from objweb.security.rolemap import carries_role_map, valid_roles

USER_FOLDER_NAME = "acl_users"


@dataclass(frozen=True)
class Arrival:
    """How objects arrive: who brings them, and from where.

    `policy` is the security policy of the user bringing them (None: trusted
    code, which acts for the current principal). `from_file` says the objects
    come from an export file, whose security settings need the rights to make
    them. `keep_owners` (trusted code only) keeps the owners they had.
    """

    policy: SecurityPolicy | None = None
    from_file: bool = True
    keep_owners: bool = False


# -- the shape of a subtree ----------------------------------------------------------

def check_subtree(top) -> list:
    """Check a subtree read from an export file and return its objects, `top` first.

    Raises `ValidationError` naming the place of the first problem.
    """
    found = []
    pending = [(top, "/" + (top.__name__ if isinstance(top.__name__, str) else ""))]
    while pending:
        obj, where = pending.pop()
        _load(obj, where)
        # Each item says where it is (name and parent), so none can be in two places.
        if not isinstance(obj, Item):
            raise ValidationError(f"the export file holds something at {where} that is not "
                                  "content", "file")
        found.append(obj)
        try:
            # Looked up on the type: the object's own state might hide the method.
            type(obj).check_stored_state(obj)
        except ValidationError as error:
            raise ValidationError(f"the export file holds a bad value at {where}: {error}",
                                  "file") from None
        except (AttributeError, LookupError, TypeError, ValueError) as error:
            # A state that loads, yet is not what the class keeps.
            raise ValidationError(f"the export file cannot be read at {where}: "
                                  f"{type(error).__name__}: {error}", "file") from None
        if obj.is_container:
            for name, child in obj.items():
                _check_place(obj, name, child, where)
                pending.append((child, f"{where.rstrip('/')}/{name}"))
    return found


def _load(obj, where: str) -> None:
    """Load `obj`'s state, which ZODB reads only now; refuse one its class cannot take in."""
    try:
        getattr(obj, "_p_activate", lambda: None)()
    except StateLoadError as error:
        cause = error.__cause__ or error
        raise ValidationError(f"the export file cannot be read at {where}: "
                              f"{type(cause).__name__}: {cause}", "file") from None


def _check_place(container, name, child, where: str) -> None:
    _load(child, f"{where.rstrip('/')}/{name}")
    try:
        check_name(name)
    except (TypeError, ValueError):
        raise ValidationError(f"the export file holds a bad name in {where}: {name!r}",
                              "file") from None
    if getattr(child, "__name__", None) != name or getattr(child, "__parent__", None) \
            is not container:
        raise ValidationError(f"the export file holds {where}/{name}, which does not say "
                              "it is there", "file")
    if isinstance(child, UserFolder) != (name == USER_FOLDER_NAME):
        raise ValidationError(f"the export file holds a user folder under another name "
                              f"than {USER_FOLDER_NAME}, or something else under that name, "
                              f"in {where}", "file")


def types_in(obj) -> set:
    """Return the types of `obj` and everything below it.

    Only containers are loaded for this: a ghost knows its class.
    """
    found, pending = set(), [obj]
    while pending:
        node = pending.pop()
        found.add(type(node))
        # Asked of the class, so that an item that holds nothing stays a ghost.
        if getattr(type(node), "is_container", False):
            pending.extend(node.values())
    return found


# -- permissions ---------------------------------------------------------------------

def check_creation(types, container, policy) -> None:
    """Raise the policy's refusal unless the user may create every one of `types` in `container`.

    The check is made against the target alone: settings that a subtree
    brings with it are not for it to trust.
    """
    for cls in sorted(types, key=lambda cls: cls.__name__):
        policy.check_permission(permission_for(cls, CREATE), container)


def _check_settings(objects, container, policy) -> None:
    """Refuse an import carrying security settings the user may not make in `container`."""
    changes_permissions = gives_local_roles = False
    for obj in objects:
        permissions, local_roles = carries_role_map(obj)
        changes_permissions |= permissions
        gives_local_roles |= local_roles
    if changes_permissions:
        policy.check_permission(CHANGE_PERMISSIONS, container)
    if gives_local_roles:
        policy.check_permission(CHANGE_LOCAL_ROLES, container)


# -- ownership -----------------------------------------------------------------------

def adopt(objects: list, container, arrival: Arrival) -> None:
    """Make objects just added to `container` belong to whoever brought them; check their rights.

    Raises the policy's refusals; the caller rolls everything back then.
    """
    policy = arrival.policy
    if policy is not None:
        check_creation({type(obj) for obj in objects}, container, policy)
        if arrival.from_file:
            _check_settings(objects, container, policy)
    if arrival.from_file:
        for obj in objects:
            if isinstance(obj, UserFolder):
                obj.forget_passwords()
    _start_histories(objects, arrival)
    if arrival.keep_owners:
        return
    principal = policy.principal if policy is not None else current_principal()
    record = ownership.ownership_of(principal, container)
    for obj in objects:
        obj.set_ownership(ownership.NOBODY if record is None and obj.is_executable
                          else record)
    if policy is not None:
        policy.forget()
    for obj in objects:
        if getattr(obj, "proxy_roles", ()):
            _keep_held_proxy_roles(obj)


def _start_histories(objects: list, arrival: Arrival) -> None:
    """Record the arrival of every object that keeps a history, by whoever brings it.

    Only trusted code keeping a file's owners keeps the file's history too.
    """
    note = "imported" if arrival.from_file else "copied"
    for obj in objects:
        if not revisions.keeps_history(obj):
            continue
        if arrival.keep_owners and arrival.from_file:
            revisions.record(obj, note=note)
        else:
            revisions.start_afresh(obj, note)


def _keep_held_proxy_roles(script) -> None:
    """Drop the proxy roles that the Script's owner does not hold where it is now."""
    owner = ownership.owner_principal(script)
    held = SecurityPolicy(owner).roles_in(script) if owner is not None else frozenset()
    known = set(valid_roles(script)) - AUTOMATIC_ROLES
    kept = tuple(sorted(role for role in script.proxy_roles if role in held and role in known))
    if kept != tuple(script.proxy_roles):
        script.proxy_roles = kept

