"""Upgrade steps: versions kept in the database, steps run once and in order, from any process."""

import pytest

import objweb
from objweb.extensions import Config, Extension
from objweb.extensions.upgrades import objects, pending_steps, run_pending, stored_versions
from cli_support import stored_site
from extension_support import forget_modules, write_package
from recipes_package import MODULES
from support import OBJWEB, Process, free_port, run_objweb, wait_for


def extension_with(*steps, name="shop"):
    config = Config(name)
    for version, step in steps:
        config.add_upgrade_step(version, step, title=f"step {version}")
    return Extension(name, "objweb-shop", "2.0", config)


def versions(db):
    with db.transaction() as connection:
        return stored_versions(connection)


def test_pending_steps_run_in_order_once_each_and_record_the_version(db):
    ran = []
    shop = extension_with((2, lambda root: ran.append(2)), (1, lambda root: ran.append(1)))
    assert [str(step) for step in pending_steps(db, [shop])] == [
        "shop 1: step 1", "shop 2: step 2"]
    done = run_pending(db, [shop])
    assert [step.step.version for step in done] == [1, 2] and ran == [1, 2]
    assert versions(db) == {"shop": 2}
    assert run_pending(db, [shop]) == [] and ran == [1, 2]
    assert pending_steps(db, [shop]) == []


def test_each_step_is_a_transaction_of_its_own(db):
    def first(root):
        root["one"] = objweb.Folder(title="One")

    def second(root):
        root["two"] = objweb.Folder()
        raise RuntimeError("disk full")

    shop = extension_with((1, first), (2, second))
    with pytest.raises(RuntimeError, match="disk full"):
        run_pending(db, [shop])
    with objweb.site(db) as root:
        assert "one" in root and "two" not in root
    assert versions(db) == {"shop": 1}
    assert [step.step.version for step in pending_steps(db, [shop])] == [2]


def test_a_step_another_process_ran_meanwhile_is_not_run_again(db):
    applied = []

    def racing_step(root):
        applied.append("this")
        if len(applied) == 1:
            # Another process runs the same step and commits first.
            run_pending(db, [extension_with((1, lambda other_root: applied.append("other")))])

    done = run_pending(db, [extension_with((1, racing_step))])
    assert done == [] and applied == ["this", "other"]
    assert versions(db) == {"shop": 1}


def test_objects_walks_the_site_telling_progress(db):
    seen = []
    told = []

    def step(root):
        seen.extend(obj.__name__ for obj in objects(root))

    with objweb.site(db) as root:
        root["news"] = objweb.Folder()
        root["news"]["a"] = objweb.Page(title="A")
    run_pending(db, [extension_with((1, step))], progress=lambda done, total: told.append(
        (done, total)))
    assert seen == [None, "acl_users", "news", "a"]
    assert told == [(1, 4), (2, 4), (3, 4), (4, 4)]


def install_recipes(tmp_path):
    site_dir = tmp_path / "site"
    write_package(site_dir, "recipes", MODULES, version="1.2", distribution="objweb-recipes")
    return {"PYTHONPATH": str(site_dir)}


def existing_site(tmp_path):
    """An instance home whose site was made before `recipes` was installed."""
    home = tmp_path / "home"
    home.mkdir()
    made = run_objweb(["adduser", "admin", "admin-password-1", "--role", "Manager"], home,
                      timeout=60)
    assert made.returncode == 0, made.stderr
    return home


def about_recipes(output: str) -> list[str]:
    """The lines of `objweb extensions` or `upgrade` about recipes (others may be installed)."""
    return [line for line in output.splitlines() if "recipes" in line or line.startswith("Ran")]


@pytest.mark.server
def test_objweb_extensions_and_upgrade_from_the_command_line(tmp_path, monkeypatch):
    home = existing_site(tmp_path)
    env = install_recipes(tmp_path)
    listed = run_objweb(["extensions"], home, env=env, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert about_recipes(listed.stdout) == [
        "recipes: objweb-recipes 1.2, schema 0 of 1; types: Recipe, Cookbook; "
        "indexes: tags (keyword), cooked (date)",
        "  pending: recipes 1: Drop the tag old",
        "  pending: the catalog lacks the date index 'cooked' that the extension 'recipes' "
        "(objweb-recipes 1.2) declares"]
    assert listed.stdout.endswith("Run `objweb upgrade` to run the pending steps.\n")
    script = home / "add.py"
    script.write_text("from objweb.content import type_named\n"
                      "app['soup'] = type_named('Recipe')(title='Soup', tags=['old', 'hot'])\n"
                      "commit()\n")
    assert run_objweb(["run", str(script)], home, env=env, timeout=60).returncode == 0
    upgraded = run_objweb(["upgrade"], home, env=env, timeout=60)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.splitlines()[:2] == [
        "The catalog added the declared indexes cooked.", "Running recipes 1: Drop the tag old"]
    assert upgraded.stdout.endswith("; the database is up to date.\n")
    again = run_objweb(["extensions"], home, env=env, timeout=60)
    assert about_recipes(again.stdout) == [
        "recipes: objweb-recipes 1.2, schema 1 of 1; types: Recipe, Cookbook; "
        "indexes: tags (keyword), cooked (date)"]
    assert "pending" not in again.stdout
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    try:
        with stored_site(home) as root:
            assert root["soup"].tags == ("hot",)
            assert [result.path for result in objweb.search(root, tags="hot", type="Recipe")
                    ] == ["/soup"]
    finally:
        forget_modules("recipes")


@pytest.mark.server
def test_a_site_made_with_an_extension_installed_starts_up_to_date(tmp_path):
    env = install_recipes(tmp_path)
    listed = run_objweb(["extensions"], tmp_path, env=env, timeout=60)
    assert about_recipes(listed.stdout) == [
        "recipes: objweb-recipes 1.2, schema 1 of 1; types: Recipe, Cookbook; "
        "indexes: tags (keyword), cooked (date)"]
    assert "pending" not in listed.stdout


@pytest.mark.server
def test_objweb_serve_logs_pending_steps_and_says_to_upgrade(tmp_path):
    home = existing_site(tmp_path)
    env = install_recipes(tmp_path)
    server = Process([OBJWEB, "serve", "--port", str(free_port())], home, env=env, name="serve")
    try:
        wait_for(lambda: "Serving" in server.stdout, message=server.stderr)
        assert "upgrade step pending: recipes 1: Drop the tag old" in server.stderr
        assert "upgrade step pending: the catalog lacks the date index 'cooked' that the " \
            "extension 'recipes' (objweb-recipes 1.2) declares" in server.stderr
        assert "2 upgrade steps pending: run `objweb upgrade`" in server.stderr
    finally:
        server.stop()
