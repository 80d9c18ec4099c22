"""`objweb pull` writes a subtree as files in a git repository; `objweb push` applies them."""

import json
import subprocess

import objweb
from objweb import File, Folder, Page, Script, Template
from objweb.content.revisions import revisions_of
from cli_support import stored_site
from support import run_objweb


def open_site(home):
    return objweb.open_db(f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs")


def read(home, function):
    db = open_site(home)
    try:
        with objweb.site(db) as root:
            return function(root)
    finally:
        db.close()


def change(home, function, user=None):
    db = open_site(home)
    try:
        with objweb.site(db, user=user) as root:
            function(root)
    finally:
        db.close()


def git(repo, *args) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            check=True, env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                                             "GIT_COMMITTER_NAME": "t",
                                             "GIT_COMMITTER_EMAIL": "t@x", "HOME": str(repo)})
    return result.stdout


def build_site(home):
    with stored_site(home) as root:
        root["acl_users"].add_user("dev", "dev-Pw-123", roles=["Manager"])
        lab = root.add("lab", Folder(title="Lab"))
        lab.add("greet", Script(title="Greet", params="name='you'", body="return 'Hi ' + name"))
        lab.add("view", Template(title="View", source='<p tal:content="context/title"/>'))
        lab.add("about", Page(title="About", body="<p>About</p>"))
        lab.add("notes.txt", File(title="Notes", data=b"n\x00tes", content_type="text/plain"))
        lab.add("deep", Folder(title="Deep")).add("inner", Page(body="<p>in</p>"))


def test_pull_writes_files_and_one_stable_metadata_file_per_directory(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    result = run_objweb(["pull", "/lab", str(repo)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Pulled /lab into" in result.stdout
    assert sorted(path.name for path in repo.iterdir()) == [
        "_objweb.json", "about.html", "deep", "greet.py", "notes.txt", "view.pt"]
    assert (repo / "greet.py").read_text() == "## parameters=name='you'\nreturn 'Hi ' + name"
    assert (repo / "notes.txt").read_bytes() == b"n\x00tes"
    assert (repo / "deep" / "inner.html").read_text() == "<p>in</p>"
    metadata = json.loads((repo / "_objweb.json").read_text())
    assert metadata["title"] == "Lab"
    assert metadata["items"]["greet"]["type"] == "Script"
    assert metadata["items"]["greet"]["title"] == "Greet"
    first = (repo / "_objweb.json").read_text()
    assert run_objweb(["pull", "/lab", str(repo)], tmp_path).returncode == 0
    assert (repo / "_objweb.json").read_text() == first


def test_a_round_trip_changes_nothing(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    run_objweb(["pull", "/lab", str(repo)], tmp_path)
    before = read(tmp_path, lambda root: root._p_jar.db().lastTransaction())
    result = run_objweb(["push", str(repo), "/lab"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Nothing to push." in result.stdout
    assert read(tmp_path, lambda root: root._p_jar.db().lastTransaction()) == before


def test_edits_in_git_are_pushed_and_recorded_in_the_history(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    run_objweb(["pull", "/lab", str(repo)], tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "pulled")
    (repo / "greet.py").write_text("## parameters=name='you', n=2\nreturn 'Hello ' + name * n")
    (repo / "view.pt").write_text('<h1 tal:content="context/title"/>')
    (repo / "new.pt").write_text("<p>new</p>")
    assert "greet.py" in git(repo, "status", "--short")

    planned = run_objweb(["push", str(repo), "/lab", "--dry-run"], tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert "update  /lab/greet (Script)" in planned.stdout
    assert "create  /lab/new (Template)" in planned.stdout
    assert read(tmp_path, lambda root: "new" in root["lab"]) is False

    result = run_objweb(["push", str(repo), "/lab", "--user", "dev"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Pushed 3 change(s) to /lab." in result.stdout
    assert read(tmp_path, lambda root: (
        root["lab"]["greet"](name="x"), root["lab"]["greet"].owner,
        root["lab"]["view"].source, root["lab"]["new"].source)) == (
        "Hello xx", "dev", '<h1 tal:content="context/title"/>', "<p>new</p>")
    newest = read(tmp_path, lambda root: [
        (revision.author, revision.note) for revision in revisions_of(root["lab"]["greet"])])
    assert newest[0] == ("dev", f"objweb push from {repo.name}")
    # The metadata follows the push: pushing again finds nothing to do.
    again = run_objweb(["push", str(repo), "/lab"], tmp_path)
    assert "Nothing to push." in again.stdout


def test_a_file_changed_on_the_site_since_the_pull_stops_the_push(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    run_objweb(["pull", "/lab", str(repo)], tmp_path)
    (repo / "greet.py").write_text("## parameters=name\nreturn 'mine'")
    (repo / "about.html").write_text("<p>mine</p>")
    change(tmp_path, lambda root: root["lab"]["greet"].edit(body="return 'theirs'"), "dev")
    before = read(tmp_path, lambda root: root._p_jar.db().lastTransaction())

    result = run_objweb(["push", str(repo), "/lab"], tmp_path)

    assert result.returncode == 1
    assert f"conflict {repo / 'greet.py'}: greet changed on the site" in result.stdout
    assert "nothing was pushed" in result.stderr
    assert read(tmp_path, lambda root: (root["lab"]["greet"].body, root["lab"]["about"].body)) \
        == ("return 'theirs'", "<p>About</p>")
    assert read(tmp_path, lambda root: root._p_jar.db().lastTransaction()) == before


def test_removed_files_are_deleted_only_with_delete(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    run_objweb(["pull", "/lab", str(repo)], tmp_path)
    (repo / "about.html").unlink()
    kept = run_objweb(["push", str(repo), "/lab"], tmp_path)
    assert "is not deleted without --delete" in kept.stdout
    assert read(tmp_path, lambda root: "about" in root["lab"]) is True
    deleted = run_objweb(["push", str(repo), "/lab", "--delete"], tmp_path)
    assert deleted.returncode == 0, deleted.stderr
    assert read(tmp_path, lambda root: "about" in root["lab"]) is False
    assert not (repo / "about.html").exists()


def test_code_that_does_not_compile_is_refused_with_its_file_and_nothing_changes(tmp_path):
    build_site(tmp_path)
    repo = tmp_path / "repo"
    run_objweb(["pull", "/lab", str(repo)], tmp_path)
    (repo / "view.pt").write_text('<p tal:content="context/title"/>\n<p>changed</p>')
    (repo / "greet.py").write_text("## parameters=name\nreturn (")
    result = run_objweb(["push", str(repo), "/lab"], tmp_path)
    assert result.returncode == 1
    assert "greet.py" in result.stderr and "nothing was pushed" in result.stderr
    assert read(tmp_path, lambda root: root["lab"]["view"].source) == \
        '<p tal:content="context/title"/>'


def test_bad_paths_are_refused_in_a_sentence(tmp_path):
    build_site(tmp_path)
    result = run_objweb(["pull", "/nowhere", str(tmp_path / "repo")], tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        1, "objweb pull: there is no object at /nowhere")
    result = run_objweb(["push", str(tmp_path / "missing"), "/lab"], tmp_path)
    assert result.returncode == 1 and "no such directory" in result.stderr


def test_pull_and_push_work_against_a_live_site_over_zeo(tmp_path):
    import ZEO
    address, stop = ZEO.server(path=str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs"))
    try:
        uri = f"zeo://{address[0]}:{address[1]}?blob_dir={tmp_path}/cache&shared_blob_dir=false"
        db = objweb.open_db(uri)
        try:
            objweb.bootstrap(db)
            with objweb.site(db) as root:
                root.add("lab", Folder()).add("greet", Script(body="return 1"))
            repo = tmp_path / "repo"
            pulled = run_objweb(["pull", "/lab", str(repo), "--db", uri], tmp_path)
            assert pulled.returncode == 0, pulled.stderr
            (repo / "greet.py").write_text("## parameters=\nreturn 2")
            pushed = run_objweb(["push", str(repo), "/lab", "--db", uri], tmp_path)
            assert pushed.returncode == 0, pushed.stderr
            # The serving process's own connection sees the push.
            with objweb.site(db) as root:
                assert root["lab"]["greet"]() == 2
        finally:
            db.close()
    finally:
        stop()
