"""`objweb pack --days 0` drops the undo history, and keeps every revision of every source."""

import objweb
from objweb import Page, Script, Template
from objweb.content.revisions import revisions_of
from cli_support import stored_site
from support import run_objweb


def test_pack_with_no_days_keeps_every_revision(tmp_path):
    with stored_site(tmp_path) as root:
        root["acl_users"].add_user("dev", "dev-Pw-123", roles=["Manager"])
        root.add("greet", Script(params="name", body="return name"))
        root.add("view", Template(source="<p>1</p>"))
        root.add("page", Page(body="<p>1</p>"))
    for number in (2, 3):
        db = objweb.open_db(f"file://{tmp_path}/var/Data.fs?blobstorage_dir={tmp_path}/var/blobs")
        try:
            with objweb.site(db, user="dev") as root:
                root["greet"].edit(body=f"return name * {number}")
                root["view"].edit(source=f"<p>{number}</p>")
                root["page"].edit(body=f"<p>{number}</p>")
            undoable = len(db.undoLog(0, 100))
        finally:
            db.close()
    assert undoable >= 3

    result = run_objweb(["pack", "--days", "0"], tmp_path)

    assert result.returncode == 0, result.stderr
    db = objweb.open_db(f"file://{tmp_path}/var/Data.fs?blobstorage_dir={tmp_path}/var/blobs")
    try:
        assert len(db.undoLog(0, 100)) == 0
        with objweb.site(db) as root:
            kept = {name: [(revision.id, revision.author, revision.values)
                           for revision in revisions_of(root[name])]
                    for name in ("greet", "view", "page")}
    finally:
        db.close()
    assert kept["greet"] == [
        (3, "dev", {"params": "name", "body": "return name * 3"}),
        (2, "dev", {"params": "name", "body": "return name * 2"}),
        (1, None, {"params": "name", "body": "return name"})]
    assert [values["source"] for _, _, values in kept["view"]] == ["<p>3</p>", "<p>2</p>",
                                                                   "<p>1</p>"]
    assert [values["body"] for _, _, values in kept["page"]] == ["<p>3</p>", "<p>2</p>",
                                                                 "<p>1</p>"]
