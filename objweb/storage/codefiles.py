"""A subtree as files, for git: `objweb pull` writes them, `objweb push` applies them back.

A folder is a directory; a Template is `NAME.pt`, a Script `NAME.py` (its
parameters in Zope's `## parameters=` header line), a Page `NAME.html`, a
File or an Image its bytes under its own name. Each directory holds one
`_objweb.json` (no object name may start with `_`, so it never collides
with one): the folder's title and type, and for each item its type, title,
file and the fingerprint it had when pulled, written with sorted keys so
that it diffs line by line. Other objects (a user folder, an extension's
type) are listed there without a file, and a push leaves them alone.

A push compares every file with the fingerprint pulled: what is unchanged
is not touched, so a push right after a pull changes nothing. An item
that would change, or be deleted, and whose object changed on the site
since the pull is a conflict: the push stops before anything changes.
Changes to sources go through `edit`, noted as made by `objweb push`, so
each records a revision.
"""

import hashlib
import json
import mimetypes
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from objweb.content.file import File
from objweb.content.folder import Folder
from objweb.content.image import Image
from objweb.content.revisions import noting
from objweb.content.sources import (
    has_source, new_from_source, save_source, source_of, source_values, type_for_new)
from objweb.content.page import Page
from objweb.content.script import Script
from objweb.content.template import Template
from objweb.errors import ValidationError

METADATA = "_objweb.json"
FORMAT = 1
_EXTENSIONS = {Template: ".pt", Script: ".py", Page: ".html"}


class CodeFilesError(ValueError):
    """The files cannot be written or applied as they are; the message says why."""


@dataclass(frozen=True)
class Step:
    """One change a push makes: `action` is create, update or delete."""

    action: str
    path: str
    file: Path
    type_name: str = ""


@dataclass
class Plan:
    """What a push would do, the conflicts that stop it, and what it leaves alone."""

    steps: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    kept: list = field(default_factory=list)


# -- fingerprints and file names ---------------------------------------------------------

def _content_of(obj) -> bytes | None:
    if has_source(obj):
        return source_of(obj)
    if isinstance(obj, File):
        return obj.data
    return None


def fingerprint(type_name: str, title: str, content: bytes) -> str:
    """Return the fingerprint of an item's type, title and content."""
    digest = hashlib.sha256()
    for part in (type_name.encode(), title.encode("utf-8"), content):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _object_fingerprint(obj) -> str:
    content = _content_of(obj)
    return fingerprint(obj.type_name, obj.title, b"" if content is None else content)


def file_name(name: str, obj) -> str | None:
    """Return the file an item is written as (a directory for a folder), or None for none."""
    if isinstance(obj, Folder) and type(obj).type_name == "Folder":
        return name
    extension = next((ext for kind, ext in _EXTENSIONS.items() if isinstance(obj, kind)), None)
    if extension is not None:
        return name + extension
    return name if isinstance(obj, File) else None


def _dumps(metadata: dict) -> str:
    return json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- pull ---------------------------------------------------------------------------------

def pull(folder, directory: Path) -> int:
    """Write the subtree at `folder` into `directory`; return how many files were written.

    Raises `CodeFilesError` when two items would be written as one file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    before = read_metadata(directory)
    items, written = {}, 0
    taken = {}
    for name, obj in folder.items():
        target = file_name(name, obj)
        entry = {"type": obj.type_name, "title": obj.title, "file": target}
        if target is not None:
            if target in taken:
                raise CodeFilesError(f"{name} and {taken[target]} in {directory} would both "
                                     f"be written as {target}; rename one of them")
            taken[target] = name
            if target == name and isinstance(obj, Folder):
                written += pull(obj, directory / name)
                entry["pulled"] = _folder_fingerprint(obj)
            else:
                (directory / target).write_bytes(_content_of(obj))
                entry["pulled"] = _object_fingerprint(obj)
                written += 1
        items[name] = entry
    _remove_gone(directory, before, set(taken))
    metadata = {"format": FORMAT, "type": folder.type_name, "title": folder.title,
                "items": items}
    (directory / METADATA).write_text(_dumps(metadata), encoding="utf-8")
    return written + 1


def _remove_gone(directory: Path, before: dict, kept: set) -> None:
    """Remove the files an earlier pull wrote for objects the site no longer has."""
    for entry in before.get("items", {}).values():
        target = entry.get("file")
        if not target or target in kept or not (directory / target).exists():
            continue
        if (directory / target).is_dir():
            shutil.rmtree(directory / target)
        else:
            (directory / target).unlink()


def read_metadata(directory: Path) -> dict:
    """Return the `_objweb.json` of `directory` ({} if there is none).

    Raises `CodeFilesError` for one that is not a pull's metadata.
    """
    path = directory / METADATA
    if not path.exists():
        return {}
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CodeFilesError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT \
            or not isinstance(metadata.get("items"), dict):
        raise CodeFilesError(f"{path} is not the metadata of an objweb pull")
    return metadata


def _folder_fingerprint(folder) -> str:
    return fingerprint(folder.type_name, folder.title, b"")


# -- push ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Local:
    """One file or directory of a pulled directory, as the item it stands for."""

    name: str
    path: Path
    cls: type
    title: str
    entry: dict

    def fingerprint(self) -> str:
        if self.cls is Folder:
            return fingerprint("Folder", read_metadata(self.path).get("title", self.title), b"")
        return fingerprint(self.cls.type_name, self.title, self.path.read_bytes())


def _locals(directory: Path, metadata: dict) -> dict[str, _Local]:
    """Map item names to the files of `directory` that stand for them."""
    by_file = {entry.get("file"): (name, entry) for name, entry in metadata["items"].items()
               if entry.get("file")}
    found = {}
    for path in sorted(directory.iterdir()):
        if path.name == METADATA or path.name.startswith("."):
            continue
        name, entry = by_file.get(path.name, (None, {}))
        if name is None:
            cls = Folder if path.is_dir() else type_for_new(path.name, None)
            extension = _EXTENSIONS.get(cls)
            name = path.name[:-len(extension)] if extension and path.name.endswith(
                extension) else path.name
        else:
            cls = _type_named(entry.get("type"), path)
        found[name] = _Local(name, path, cls, entry.get("title", ""), entry)
    return found


def _type_named(type_name, path: Path) -> type:
    for cls in (Folder, Template, Script, Page, Image, File):
        if cls.type_name == type_name:
            return cls
    raise CodeFilesError(f"{path}: objweb push does not write a {type_name!r}")


def plan_push(folder, directory: Path, *, delete: bool = False, plan: Plan | None = None,
              base: str = "") -> Plan:
    """Return what pushing `directory` into `folder` (None: a folder yet to make) would do.

    Raises `CodeFilesError` for a directory that is not a pull's.
    """
    plan = plan if plan is not None else Plan()
    metadata = read_metadata(directory) or {"format": FORMAT, "items": {}, "title": ""}
    if folder is not None and metadata.get("title", folder.title) != folder.title:
        plan.steps.append(Step("update", base, directory / METADATA, "Folder"))
    local = _locals(directory, metadata)
    for name, item in local.items():
        obj = folder.get(name) if folder is not None and name in folder else None
        _plan_item(plan, item, obj, _joined(base, name), delete)
    for name, entry in metadata["items"].items():
        if name in local or not entry.get("file"):
            continue
        obj = folder.get(name) if folder is not None and name in folder else None
        _plan_removal(plan, entry, obj, _joined(base, name), directory / entry["file"], delete)
    return plan


def _joined(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def _plan_item(plan: Plan, item: _Local, obj, path: str, delete: bool) -> None:
    pulled = item.entry.get("pulled")
    on_site = None if obj is None else (
        _folder_fingerprint(obj) if isinstance(obj, Folder) else _object_fingerprint(obj))
    if item.cls is Folder:
        if obj is None:
            plan.steps.append(Step("create", path, item.path, "Folder"))
        elif not isinstance(obj, Folder):
            plan.conflicts.append(f"{item.path}: {path} is a {obj.type_name} on the site")
            return
        plan_push(obj, item.path, delete=delete, plan=plan, base=path)
        return
    mine = item.fingerprint()
    if pulled is None:
        if obj is None:
            plan.steps.append(Step("create", path, item.path, item.cls.type_name))
        elif on_site != mine:
            plan.conflicts.append(f"{item.path}: {path} was added on the site too")
    elif mine == pulled:
        if on_site != pulled:
            plan.kept.append(f"{item.path}: {path} changed on the site since the pull "
                             "(not touched; pull again to see it)")
    elif on_site != pulled:
        plan.conflicts.append(f"{item.path}: {path} "
                              f"{'was removed' if obj is None else 'changed'} on the site "
                              "since the pull")
    else:
        plan.steps.append(Step("update", path, item.path, item.cls.type_name))


def _plan_removal(plan: Plan, entry: dict, obj, path: str, file: Path, delete: bool) -> None:
    if obj is None:
        return
    if isinstance(obj, Folder):
        on_site = _folder_fingerprint(obj)
    else:
        on_site = _object_fingerprint(obj)
    if on_site != entry.get("pulled") and not isinstance(obj, Folder):
        plan.conflicts.append(f"{file}: {path} changed on the site since the pull")
    elif delete:
        plan.steps.append(Step("delete", path, file, obj.type_name))
    else:
        plan.kept.append(f"{file}: {path} is not deleted without --delete")


def apply_push(folder, plan: Plan, *, note: str) -> None:
    """Make the changes of `plan` in `folder`, the folder the directory was pulled from.

    Raises `CodeFilesError` naming the file when the site refuses a change
    (code that does not compile, a bad name); the caller's transaction then
    must be aborted.
    """
    with noting(note):
        for step in plan.steps:
            try:
                _apply(folder, step)
            except (ValidationError, ValueError, KeyError) as error:
                raise CodeFilesError(f"{step.file}: {error}") from None


def _at(folder, relative: str):
    for name in filter(None, relative.split("/")):
        folder = folder[name]
    return folder


def _apply(folder, step: Step) -> None:
    parent_path, _, name = step.path.rpartition("/")
    if step.action == "delete":
        del _at(folder, parent_path)[name]
        return
    if step.file.name == METADATA:
        _at(folder, step.path).edit(title=read_metadata(step.file.parent)["title"])
        return
    cls = _type_named(step.type_name, step.file)
    title = _title_of(step)
    if step.action == "create":
        _at(folder, parent_path).add(name, _new(cls, name, step.file, title))
        return
    obj = _at(folder, step.path)
    data = step.file.read_bytes()
    if has_source(obj):
        save_source(obj, source_values(type(obj), data))
    else:
        obj.write(data)
    if obj.title != title:
        obj.edit(title=title)


def _title_of(step: Step) -> str:
    if step.type_name == "Folder":
        return read_metadata(step.file).get("title", "")
    parent = read_metadata(step.file.parent)
    name_entries = [entry for entry in parent.get("items", {}).values()
                    if entry.get("file") == step.file.name]
    return name_entries[0].get("title", "") if name_entries else ""


def _new(cls: type, name: str, path: Path, title: str):
    if cls is Folder:
        return Folder(title=title)
    data = path.read_bytes()
    if has_source(cls):
        obj = new_from_source(cls, name, source_values(cls, data))
        obj.title = title
        return obj
    content_type = mimetypes.guess_type(path.name)[0]
    return cls(title=title, data=data, content_type=content_type, filename=path.name)
