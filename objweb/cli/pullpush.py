"""The subcommands that move code between the site and files: pull and push.

See `objweb.storage.codefiles` for the files. `push` plans first and changes
nothing while any file is in conflict; `--dry-run` prints the plan only.
Both work against a live site through `--db zeo://…`.
"""

from pathlib import Path

from objweb.cli.common import CommandError, open_database
from objweb.security.ownership import ownership_by_id
from objweb.storage.codefiles import CodeFilesError, apply_push, plan_push, pull
from objweb.storage.db import site, transaction_note
from objweb.traversal.location import path_of
from objweb.traversal.resolve import find


def _folder_at(root, path: str):
    try:
        obj = find(root, path)
    except (KeyError, ValueError):
        raise CommandError(f"there is no object at {path}") from None
    if not getattr(obj, "is_container", False):
        raise CommandError(f"{path} is not a folder; pull and push work on folders")
    return obj


def cmd_pull(args) -> int:
    """Write the subtree at PATH into DIR as files, with one `_objweb.json` a directory."""
    directory = Path(args.dir)
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"{directory} is not a directory")
    db = open_database(args.db)
    try:
        with site(db) as root:
            folder = _folder_at(root, args.path)
            try:
                count = pull(folder, directory)
            except CodeFilesError as error:
                raise CommandError(str(error)) from None
            pulled = path_of(folder) or "/"
    finally:
        db.close()
    print(f"Pulled {pulled} into {directory} ({count} files).")
    return 0


def cmd_push(args) -> int:
    """Apply the files of DIR to the subtree at PATH; refuse on any conflict."""
    directory = Path(args.dir)
    if not directory.is_dir():
        raise CommandError(f"no such directory: {directory}")
    db = open_database(args.db)
    try:
        with site(db, user=args.user) as root:
            folder = _folder_at(root, args.path)
            if args.user and ownership_by_id(folder, args.user)[0] is None:
                raise CommandError(f"there is no user {args.user!r} in a user folder "
                                   f"above {args.path}")
            base = path_of(folder)
            try:
                plan = plan_push(folder, directory, delete=args.delete)
            except CodeFilesError as error:
                raise CommandError(str(error)) from None
            _print_plan(plan, base)
            if plan.conflicts:
                raise CommandError(f"{len(plan.conflicts)} file(s) changed on the site since "
                                   "the pull; nothing was pushed. Pull again into a fresh "
                                   "directory, merge, and push")
            if args.dry_run or not plan.steps:
                # Planning only reads: leaving the block commits nothing.
                print("Nothing was changed." if plan.steps or args.dry_run else
                      "Nothing to push.")
                return 0
            try:
                apply_push(folder, plan, note=f"objweb push from {directory.name}")
            except CodeFilesError as error:
                raise CommandError(f"{error}; nothing was pushed") from None
            transaction_note(root._p_jar, f"objweb push {directory}", base or "/", args.user)
        with site(db) as root:
            pull(_folder_at(root, args.path), directory)
    finally:
        db.close()
    print(f"Pushed {len(plan.steps)} change(s) to {base or '/'}.")
    return 0


def _print_plan(plan, base: str) -> None:
    for step in plan.steps:
        print(f"{step.action:7} {base}/{step.path} ({step.type_name}) from {step.file}")
    for line in plan.kept:
        print(f"kept    {line}")
    for line in plan.conflicts:
        print(f"conflict {line}")


def add_code_commands(command) -> None:
    """Add pull and push to the parser, with `command`."""
    pull_command = command("pull", cmd_pull, "write a subtree as files, for git")
    pull_command.add_argument("path", help="the folder to pull, as /news")
    pull_command.add_argument("dir", help="the directory to write into")
    push = command("push", cmd_push, "apply files written by pull back to the site")
    push.add_argument("dir", help="the directory pull wrote")
    push.add_argument("path", help="the folder it was pulled from, as /news")
    push.add_argument("--delete", action="store_true",
                      help="delete objects whose files were removed")
    push.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    push.add_argument("--user", default=None, help="push as this user: owner of the new "
                      "and changed code, and author of its revisions (default: no user)")
