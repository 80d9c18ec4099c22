"""Revisions of a source, kept with the object: who, when, a note and the source, bounded."""

import io

import pytest

import objweb
from objweb import Folder, Page, Script, Template
from objweb.content import revisions
from objweb.content.revisions import keeping, noting, revision_of, revisions_of
from objweb.storage.transfer import copy_to, export_subtree, import_subtree
from objweb.errors import NotFoundError, ValidationError
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import acting_as
from forged_exports import forge


def history(obj) -> list[tuple]:
    """(id, author, note, values) of each kept revision, newest first."""
    return [(revision.id, revision.author, revision.note, revision.values)
            for revision in revisions_of(obj)]


def test_a_new_script_records_its_first_revision_by_its_maker(db):
    with objweb.site(db, user="admin") as root:
        root.add("greet", Script(params="name", body="return name"))
    with objweb.site(db) as root:
        assert history(root["greet"]) == [
            (1, "admin", "", {"params": "name", "body": "return name"})]


@pytest.mark.parametrize("make,change", [
    (lambda: Page(body="<p>1</p>"), {"body": "<p>2</p>"}),
    (lambda: Template(source="<p>1</p>"), {"source": "<p>2</p>"}),
    (lambda: Script(body="return 1"), {"body": "return 2"}),
])
def test_each_source_change_records_a_revision(db, make, change):
    with objweb.site(db) as root:
        root.add("code", make())
    with objweb.site(db, user="admin") as root:
        root["code"].edit(**change)
    with objweb.site(db) as root:
        newest = revisions_of(root["code"])[0]
        assert (newest.id, newest.author) == (2, "admin")
        assert change.items() <= newest.values.items()
        assert newest.time == pytest.approx(root["code"].modified)


def test_a_change_that_leaves_the_source_alone_records_nothing(db):
    with objweb.site(db) as root:
        script = root.add("code", Script(body="return 1"))
        script.edit(title="Renamed")
        script.edit(body="return 1")
        assert [revision.id for revision in revisions_of(script)] == [1]


def test_a_refused_change_records_nothing(db):
    with objweb.site(db) as root:
        script = root.add("code", Script(body="return 1"))
        with pytest.raises(ValidationError):
            script.edit(body="return (")
        assert [revision.id for revision in revisions_of(script)] == [1]


def test_a_note_goes_with_the_revisions_of_its_block(db):
    with objweb.site(db) as root:
        page = root.add("page", Page(body="<p>1</p>"))
        with noting("  fix the\ntypo  "):
            page.edit(body="<p>2</p>")
        page.edit(body="<p>3</p>")
        assert [(revision.id, revision.note) for revision in revisions_of(page)] == [
            (3, ""), (2, "fix the typo"), (1, "")]


def test_only_the_newest_revisions_are_kept_and_ids_are_never_reused(db):
    with objweb.site(db) as root, keeping(3):
        page = root.add("page", Page(body="0"))
        for number in range(1, 6):
            page.edit(body=str(number))
        assert [(revision.id, revision.values["body"]) for revision in revisions_of(page)] \
            == [(6, "5"), (5, "4"), (4, "3")]
    with pytest.raises(NotFoundError):
        with objweb.site(db) as root:
            revision_of(root["page"], 1)


def test_an_object_from_before_histories_keeps_its_old_source_as_revision_1(db):
    with objweb.site(db) as root:
        page = root.add("page", Page(body="<p>old</p>"))
        # As an object stored before objweb kept histories.
        del page._history
        page.modified = 1000.0
    with objweb.site(db, user="admin") as root:
        root["page"].edit(body="<p>new</p>")
        assert history(root["page"]) == [
            (2, "admin", "", {"body": "<p>new</p>"}),
            (1, None, revisions.BEFORE_HISTORY_NOTE, {"body": "<p>old</p>"})]
        assert revision_of(root["page"], 1).time == 1000.0


def test_a_revision_id_must_be_a_kept_whole_number(db):
    with objweb.site(db) as root:
        page = root.add("page", Page(body="x"))
        for wrong in ("1", 1.0, True, 2):
            with pytest.raises(NotFoundError):
                revision_of(page, wrong)
        assert revision_of(page, 1).values == {"body": "x"}


def test_objects_without_a_source_keep_no_history(db):
    with objweb.site(db) as root:
        folder = root.add("box", Folder(title="Box"))
        folder.edit(title="Other")
        assert revisions_of(folder) == [] and not revisions.keeps_history(folder)


# -- arriving by import or paste -----------------------------------------------------

@pytest.fixture
def exported(db) -> bytes:
    with objweb.site(db, user="admin") as root:
        box = root.add("box", Folder())
        box.add("code", Script(body="return 1")).edit(body="return 2")
        buffer = io.BytesIO()
        export_subtree(box, buffer)
        return buffer.getvalue()


def test_an_import_starts_a_history_of_its_own_by_the_importer(db, exported):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "ed-Pw-123", roles=["Manager"])
    with objweb.site(db, user="editor") as root:
        import_subtree(root, io.BytesIO(exported), name="copy")
    with objweb.site(db) as root:
        assert history(root["copy"]["code"]) == [
            (1, "editor", "imported", {"params": "", "body": "return 2"})]
        assert [revision.id for revision in revisions_of(root["box"]["code"])] == [2, 1]


def test_trusted_code_keeping_the_owners_keeps_the_file_s_history(db, exported):
    with objweb.site(db) as root:
        import_subtree(root, io.BytesIO(exported), name="copy", keep_owners=True)
        assert [(revision.id, revision.author, revision.note)
                for revision in revisions_of(root["copy"]["code"])] == [
            (3, None, "imported"), (2, "admin", ""), (1, "admin", "")]


def test_a_pasted_copy_starts_a_history_by_the_paster(db):
    with objweb.site(db) as root:
        root.add("code", Template(source="<p>1</p>")).edit(source="<p>2</p>")
        root.add("target", Folder())
    with objweb.site(db) as root:
        admin = principal_by_login(root, "admin")
        with acting_as(admin):
            copy = copy_to(root["code"], root["target"], "code", policy=SecurityPolicy(admin))
        assert history(copy) == [(1, "admin", "copied", {"source": "<p>2</p>"})]


@pytest.mark.parametrize("change,fragment", [
    (lambda state: state.update(last_id="3"), "not a revision log"),
    (lambda state: state.update(revisions=state["revisions"] + ("x",)), "not a revision"),
])
def test_an_import_refuses_a_malformed_history(db, exported, change, fragment):
    forged = forge(exported, "RevisionLog", change)
    with pytest.raises(ValidationError) as raised:
        with objweb.site(db) as root:
            import_subtree(root, io.BytesIO(forged), name="copy")
    assert fragment in str(raised.value)


def test_an_import_refuses_a_revision_of_other_fields(db, exported):
    forged = forge(exported, "Revision", lambda state: state.update(fields=(("x", "y"),)))
    with pytest.raises(ValidationError) as raised:
        with objweb.site(db) as root:
            import_subtree(root, io.BytesIO(forged), name="copy")
    assert "other fields than the source's" in str(raised.value)
