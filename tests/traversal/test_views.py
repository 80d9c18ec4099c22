"""The view registry: registration, lookup by type, method and JSON preference."""

import types

import pytest

from objweb import Folder, Page
from objweb.content import Item
from objweb.traversal import ViewRegistration, ViewRegistry, view_config


def handler(obj, request):
    return "handled"


@pytest.fixture
def registry():
    return ViewRegistry()


def test_register_returns_a_frozen_registration(registry):
    registration = registry.register(Page, "edit", handler, action="change", methods=("get", "post"))
    assert isinstance(registration, ViewRegistration)
    assert registration.methods == frozenset({"GET", "POST"})
    assert registration.action == "change" and not registration.plain
    assert registration.name == "edit" and registration.for_type is Page
    # What a view does not ask for, it does not get: JSON refusals, a required token.
    assert registration.json_api is False and registration.requires_token is False
    assert registration.token_refused is None and registration.challenge is None
    with pytest.raises(AttributeError):
        registration.name = "other"


def test_a_view_is_never_registered_twice(registry):
    registry.register(Page, "edit", handler, action="change", methods=("GET", "POST"))
    with pytest.raises(ValueError, match="already registered for \\['POST'\\]"):
        registry.register(Page, "edit", handler, action="change", methods=("POST",))


def test_json_and_html_variants_live_side_by_side(registry):
    html = registry.register(Page, "", handler, action="view", accept_json=False)
    as_json = registry.register(Page, "", handler, action="view", accept_json=True)
    assert registry.lookup(Page(), "", "GET", wants_json=False) is html
    assert registry.lookup(Page(), "", "GET", wants_json=True) is as_json
    assert registry.lookup(Page(), "", "GET") is html


def test_a_view_without_preference_serves_both(registry):
    anything = registry.register(Page, "x", handler, action="view")
    assert registry.lookup(Page(), "x", "GET", wants_json=True) is anything
    assert registry.lookup(Page(), "x", "GET", wants_json=False) is anything


def test_a_preferred_variant_wins_over_a_general_one(registry):
    registry.register(Item, "x", handler, action="view")
    specific = registry.register(Item, "x", handler, action="view", accept_json=True)
    assert registry.lookup(Page(), "x", "GET", wants_json=True) is specific


def test_the_most_specific_type_wins(registry):
    general = registry.register(Item, "", handler, action="view")
    special = registry.register(Folder, "", handler, action="view")
    assert registry.lookup(Folder(), "", "GET") is special
    assert registry.lookup(Page(), "", "GET") is general
    assert [r.for_type for r in registry.candidates(Folder(), "")] == [Folder, Item]


def test_head_is_answered_by_get(registry):
    get = registry.register(Page, "", handler, action="view")
    assert registry.lookup(Page(), "", "HEAD") is get


def test_lookup_misses(registry):
    registry.register(Page, "", handler, action="view")
    assert registry.lookup(Page(), "", "POST") is None
    assert registry.lookup(Page(), "nope", "GET") is None
    assert registry.lookup(Folder(), "", "GET") is None


def test_allowed_methods_add_head_to_get(registry):
    registry.register(Item, "", handler, action="change", methods=("PATCH", "DELETE"))
    registry.register(Page, "", handler, action="view")
    assert registry.allowed_methods(Page(), "") == ["DELETE", "GET", "HEAD", "PATCH"]
    assert registry.allowed_methods(Folder(), "") == ["DELETE", "PATCH"]
    assert registry.allowed_methods(Folder(), "nope") == []


def test_plain_views(registry):
    registry.register(Folder, "manage", handler, action="manage", plain=True)
    registry.register(Folder, "contents", handler, action="manage")
    assert registry.has_plain_view(Folder(), "manage")
    assert not registry.has_plain_view(Folder(), "contents")
    assert not registry.has_plain_view(Page(), "manage")


def test_a_view_s_challenge_hook_is_found_along_the_type_s_views(registry):
    def tell(request, problem):
        return "told"

    registry.register(Folder, "door", handler, action="view", methods=("GET",), challenge=tell)
    registry.register(Folder, "door", handler, action="view", methods=("PUT",))
    registry.register(Folder, "plain", handler, action="view")
    assert registry.challenge_of(Folder(), "door") is tell
    assert registry.challenge_of(Folder(), "plain") is None
    assert registry.challenge_of(Folder(), None) is None
    assert registry.challenge_of(Page(), "door") is None


def probe_module():
    """A module of views of its own, as a room's module is."""
    module = types.ModuleType("probe_views")

    @view_config(Page, "probe", action="view", methods=("GET",))
    @view_config(Folder, "probe", action="manage", methods=("POST",))
    def probe(obj, request):
        return "probed"

    def unmarked(obj, request):
        return "never registered"

    for function in (probe, unmarked):
        function.__module__ = module.__name__
        setattr(module, function.__name__, function)
    module.imported = view_config(Page, "imported", action="view")(handler)
    return module


def test_view_config_registers_nothing_by_itself():
    module = probe_module()
    registry = ViewRegistry()
    assert registry.lookup(Page(), "probe", "GET") is None
    assert module.probe(None, None) == "probed"


def test_scan_registers_every_mark_of_the_modules_own_functions():
    module = probe_module()
    registry = ViewRegistry()
    registry.scan(module)
    assert registry.lookup(Page(), "probe", "GET").handler is module.probe
    assert registry.lookup(Folder(), "probe", "POST").action == "manage"
    assert registry.lookup(Page(), "unmarked", "GET") is None
    # A function the module only imported belongs to its own module's scan.
    assert registry.lookup(Page(), "imported", "GET") is None


def test_scanning_a_module_twice_is_refused():
    registry = ViewRegistry()
    registry.scan(probe_module())
    with pytest.raises(ValueError, match="already registered"):
        registry.scan(probe_module())


def test_registrations_for_lists_every_view_of_a_type_most_specific_first(registry):
    general = registry.register(Item, "a", handler, action="view")
    special = registry.register(Page, "b", handler, action="view")
    registry.register(Folder, "c", handler, action="view")
    assert list(registry.registrations_for(Page())) == [special, general]
