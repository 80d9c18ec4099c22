"""The custom indexes the installed extensions declare, for every site this process opens.

A process-wide record, filled as extensions load: a catalog made with its
site gets these indexes at once, `objweb upgrade` adds them to an older
one, and a search naming one the catalog lacks says to run it.
"""

from objweb.catalog import custom

# Indexes the installed extensions declare, by name: the kind, and who declares it.
_declared: dict[str, tuple[str, tuple[str, ...]]] = {}


def declare_index(name: str, kind: str, declared_by: str) -> None:
    """Have every site this process opens keep the custom index `name` of `kind`.

    Several may declare one index, of one kind. Raises `ValueError` for a
    bad name or kind, or a name declared with another kind.
    """
    custom.check_index_name(name)
    custom.check_kind(kind)
    known_kind, declarers = _declared.get(name, (kind, ()))
    if known_kind != kind:
        raise ValueError(f"the index {name!r} is declared as a {known_kind} index by "
                         f"{declarers[0]}")
    if declared_by not in declarers:
        _declared[name] = (kind, declarers + (declared_by,))


def forget_index(name: str, declared_by: str) -> None:
    """Withdraw `declared_by`'s declaration of `name`; what sites hold stays."""
    kind, declarers = _declared.get(name, ("", ()))
    rest = tuple(declarer for declarer in declarers if declarer != declared_by)
    if rest:
        _declared[name] = (kind, rest)
    else:
        _declared.pop(name, None)


def declared_indexes() -> dict[str, tuple[str, str]]:
    """Return the declared indexes: name -> (kind, who declared it first)."""
    return {name: (kind, declarers[0]) for name, (kind, declarers) in _declared.items()}
