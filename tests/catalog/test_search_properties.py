"""Search answers as a walk of the tree would, whatever happened and however far the queue drained.

A state machine adds, edits, renames, moves, copies and deletes objects,
changes permissions, local roles and owners (one change per transaction,
or several in one, searching before the commit), drains the queue all the
way, part of the way or not at all, and after each step compares search
results with a brute-force walk that asks the security policy itself: a
result is one the publisher would serve, the permission that guards viewing it
(View, or a user folder's "Manage users") on it and "Access contents
information" on every folder a request walks through to reach it
(`check_lineage`, the publisher's own check), blocks of local roles included.
"""

import transaction
import ZODB
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from ZODB.DemoStorage import DemoStorage
from ZODB.utils import u64

import objweb
from objweb import Folder, Page, Script
from objweb.catalog import drain, drain_all, find_results
from objweb.catalog.record import sortable_title
from objweb.catalog.text import words_of, without_markup
from objweb.errors import Forbidden, Unauthorized
from objweb.storage.transfer import copy_of
from objweb.security import permissions as p
from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy, TrustedPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL
from objweb.security.protections import ACCESS, MANAGE, VIEW as VIEW_ACTION
from objweb.security.rolemap import set_block_local_roles
from objweb.traversal.location import path_of

from support import layered_db

WORDS = ("alpha", "beta", "gamma", "delta")
NAMES = ("a", "b", "c", "d", "e")
USERS = (None, "editor", "ann", "admin")
SORTS = (None, "id", "title", "created", "modified", "relevance")

_template = None


def template():
    """A site with a Manager, an Editor and a user with no role, made once."""
    global _template
    if _template is None:
        _template = DemoStorage(name="search-properties")
        db = ZODB.DB(_template)
        objweb.bootstrap(db, admin="admin", password="pw-admin-1")
        with objweb.site(db) as root:
            root["acl_users"].add_user("editor", "pw-editor-1", roles=["Editor"])
            root["acl_users"].add_user("ann", "pw-ann-1")
        drain_all(db)
    return _template


def every_object(root):
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        if node.is_container:
            pending.extend(node.values())


def policy_for(root, user):
    if user == "trusted":
        return TrustedPolicy()
    if user is None:
        return SecurityPolicy(ANONYMOUS_PRINCIPAL)
    return SecurityPolicy(principal_by_login(root, user))


def brute_force(root, query: dict, policy) -> list:
    """The paths a walk finds for `query`, in the order the query asks."""
    base = objweb.find(root, query.get("path", "/"))
    found = []
    for obj in every_object(base):
        if obj is base:
            continue
        if not _answers(obj, base, query, policy):
            continue
        found.append(obj)
    on = query.get("sort_on")
    if on is None and "text" in query:
        return sorted(path_of(obj) for obj in found)
    key = {None: lambda obj: 0, "id": lambda obj: obj.__name__,
           "title": lambda obj: sortable_title(obj.title),
           "created": lambda obj: obj.created, "modified": lambda obj: obj.modified}.get(on)
    if key is None:
        return sorted(path_of(obj) for obj in found)
    ordered = sorted(found, key=lambda obj: (key(obj), u64(obj._p_oid)),
                     reverse=query.get("sort_order") == "descending")
    return [path_of(obj) for obj in ordered]


def _answers(obj, base, query: dict, policy) -> bool:
    depth = path_of(obj).count("/") - (0 if base.__parent__ is None else path_of(base).count("/"))
    if "depth" in query and depth > query["depth"]:
        return False
    if "type" in query and obj.type_name != query["type"]:
        return False
    if "owner" in query and obj.owner != query["owner"]:
        return False
    if "modified_after" in query and obj.modified < query["modified_after"]:
        return False
    if "modified_before" in query and obj.modified >= query["modified_before"]:
        return False
    if not policy.decide_action(VIEW_ACTION, obj) or not may_walk_to(policy, obj):
        return False
    if "text" in query:
        # An object's public text is its readable fields' text one after another.
        public = obj.title + " " + without_markup(obj.body) if isinstance(obj, Page) else obj.title
        texts = [words_of(public)]
        if isinstance(obj, Script) and policy.can(MANAGE, obj):
            texts.append(words_of(obj.body))
        return _holds(query["text"], texts)
    return True


def may_walk_to(policy, obj) -> bool:
    """Whether the publisher lets `policy` walk through every folder above `obj`."""
    walked_through = list(reversed(list(objweb.lineage(obj.__parent__))))
    try:
        policy.check_lineage(ACCESS, walked_through)
    except (Unauthorized, Forbidden):
        return False
    return True


def _holds(text: str, texts: list) -> bool:
    """Whether word lists hold a query of words, one `word*` or one "quoted phrase"."""
    words = set().union(*texts)
    if text.startswith('"'):
        phrase = text.strip('"').split()
        return any(found[start:start + len(phrase)] == phrase
                   for found in texts for start in range(len(found)))
    if text.endswith("*"):
        return any(word.startswith(text[:-1]) for word in words)
    return all(word in words for word in text.split())


# Asked after every step, for each user in turn: paths, depths, types, words and orders.
BATTERY = (
    {}, {"depth": 1}, {"depth": 2, "sort_on": "id"}, {"path": "/a", "depth": 1},
    {"path": "/a", "type": "Page", "sort_on": "modified", "sort_order": "descending"},
    {"text": "alpha"}, {"text": "beta gamma", "sort_on": "title"}, {"text": "gam*"},
    {"text": '"alpha gamma"'}, {"type": "Folder"},
    {"owner": "editor", "sort_order": "descending"},
)

queries = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(("Page", "Folder", "Script")),
    "text": st.sampled_from(WORDS + ("alpha beta", "del*", '"beta gamma"')),
    "depth": st.integers(1, 3),
    "owner": st.sampled_from(("editor", "ann")),
    "sort_on": st.sampled_from(SORTS[1:-1]),
    "sort_order": st.sampled_from(("ascending", "descending")),
})


class SearchMachine(RuleBasedStateMachine):
    """Changes a small site at random and checks searches against a walk."""

    @initialize(drained=st.booleans())
    def open_site(self, drained):
        """A few folders and pages, indexed or still queued."""
        self.db = layered_db(template())
        with objweb.site(self.db, user="editor") as root:
            root["a"] = Folder(title="alpha")
            root["a"]["b"] = Folder(title="beta")
            for folder in (root, root["a"], root["a"]["b"]):
                for number, word in enumerate(WORDS[:2]):
                    folder[f"p{number}"] = Page(title=word, body=f"<p>{word} gamma</p>")
            self.moments = [obj.modified for obj in every_object(root)]
        if drained:
            drain_all(self.db)

    def teardown(self):
        transaction.abort()
        self.db.close()

    def _objects(self, root, containers=False):
        found = [obj for obj in every_object(root) if obj is not root and
                 "acl_users" not in path_of(obj)]
        return [obj for obj in found if obj.is_container] if containers else found

    def _pick(self, root, number, containers=False):
        found = sorted(self._objects(root, containers), key=path_of)
        if containers:
            found.insert(0, root)
        return found[number % len(found)] if found else None

    def _free(self, folder, name):
        while name in folder:
            name += "x"
        return name

    @rule(number=st.integers(0, 20), name=st.sampled_from(NAMES), kind=st.sampled_from(
        ("Page", "Folder", "Script")), words=st.lists(st.sampled_from(WORDS), max_size=3),
          user=st.sampled_from((None, "editor", "ann")))
    def add(self, number, name, kind, words, user):
        with objweb.site(self.db, user=user) as root:
            folder = self._pick(root, number, containers=True)
            text = " ".join(words)
            obj = {"Page": lambda: Page(title=text, body=f"<p>{text}</p>"),
                   "Folder": lambda: Folder(title=text),
                   "Script": lambda: Script(title="code", body=f"return '{text}'")}[kind]()
            folder[self._free(folder, name)] = obj
            self.moments.append(obj.modified)

    @rule(number=st.integers(0, 20), words=st.lists(st.sampled_from(WORDS), max_size=3))
    def edit(self, number, words):
        with objweb.site(self.db) as root:
            obj = self._pick(root, number)
            if obj is not None:
                obj.edit(title=" ".join(words))
                self.moments.append(obj.modified)

    @rule(number=st.integers(0, 20), name=st.sampled_from(NAMES))
    def rename(self, number, name):
        with objweb.site(self.db) as root:
            obj = self._pick(root, number)
            if obj is not None:
                obj.__parent__.rename(obj.__name__, self._free(obj.__parent__, name))

    @rule(number=st.integers(0, 20), place=st.integers(0, 20))
    def move(self, number, place):
        with objweb.site(self.db) as root:
            obj, folder = self._pick(root, number), self._pick(root, place, containers=True)
            if obj is not None and all(node is not obj for node in objweb.lineage(folder)):
                obj.__parent__.move(obj.__name__, folder, self._free(folder, obj.__name__))

    @rule(number=st.integers(0, 20), place=st.integers(0, 20))
    def copy(self, number, place):
        with objweb.site(self.db) as root:
            obj, folder = self._pick(root, number), self._pick(root, place, containers=True)
            if obj is not None:
                folder[self._free(folder, obj.__name__)] = copy_of(obj)

    @rule(number=st.integers(0, 20))
    def delete(self, number):
        with objweb.site(self.db) as root:
            obj = self._pick(root, number)
            if obj is not None:
                del obj.__parent__[obj.__name__]

    @rule(number=st.integers(0, 20), roles=st.frozensets(st.sampled_from(
        ("Anonymous", "Owner", "Editor", "Manager"))), acquire=st.booleans())
    def permission(self, number, roles, acquire):
        with objweb.site(self.db) as root:
            self._pick(root, number, containers=True).manage_permission(p.VIEW, roles, acquire)

    @rule(number=st.integers(0, 20), roles=st.frozensets(st.sampled_from(
        ("Anonymous", "Owner", "Editor", "Manager"))), acquire=st.booleans())
    def access(self, number, roles, acquire):
        with objweb.site(self.db) as root:
            self._pick(root, number, containers=True).manage_permission(
                p.ACCESS_CONTENTS, roles, acquire)

    @rule(number=st.integers(0, 20), blocked=st.booleans())
    def block(self, number, blocked):
        with objweb.site(self.db) as root:
            set_block_local_roles(self._pick(root, number, containers=True), blocked)

    @rule(number=st.integers(0, 20), roles=st.frozensets(st.sampled_from(("Owner", "Editor"))))
    def local_roles(self, number, roles):
        with objweb.site(self.db) as root:
            self._pick(root, number, containers=True).manage_setLocalRoles("ann", roles)

    @rule(number=st.integers(0, 20), user=st.sampled_from(("editor", "ann", None)))
    def owner(self, number, user):
        with objweb.site(self.db) as root:
            obj = self._pick(root, number)
            if obj is not None:
                obj.change_owner(user)

    @rule(limit=st.sampled_from((1, 3, 1000)))
    def drain(self, limit):
        drain(self.db, limit=limit)

    @rule(number=st.integers(0, 20), words=st.lists(st.sampled_from(WORDS), max_size=2),
          query=queries, user=st.sampled_from(USERS))
    def change_and_search_before_commit(self, number, words, query, user):
        with objweb.site(self.db) as root:
            folder = self._pick(root, number, containers=True)
            text = " ".join(words)
            folder[self._free(folder, "n")] = Page(title=text, body=text)
            victim = self._pick(root, number + 1)
            if victim is not None and victim is not folder and \
                    all(node is not victim for node in objweb.lineage(folder)):
                del victim.__parent__[victim.__name__]
            self._compare(root, query, user)

    @rule(query=queries, user=st.sampled_from(USERS + ("trusted",)), moment=st.integers(0, 5),
          bound=st.sampled_from(("modified_after", "modified_before", None)),
          number=st.integers(0, 20))
    def search(self, query, user, moment, bound, number):
        with objweb.site(self.db) as root:
            query = dict(query)
            base = self._pick(root, number, containers=True)
            query["path"] = path_of(base)
            if bound is not None and self.moments:
                query[bound] = self.moments[moment % len(self.moments)]
            self._compare(root, query, user)

    @invariant()
    def battery(self):
        self.turn = getattr(self, "turn", 0) + 1
        user = (USERS + ("trusted",))[self.turn % (len(USERS) + 1)]
        with objweb.site(self.db) as root:
            for query in BATTERY:
                if "path" not in query or query["path"] in ("/", "/a") and "a" in root:
                    self._compare(root, query, user)

    def _compare(self, root, query: dict, user):
        policy = policy_for(root, user)
        raw = {key: [value] for key, value in query.items()}
        found = [result.path for result in find_results(root, raw, policy=policy)]
        expected = brute_force(root, query, policy)
        if query.get("sort_on") is None and "text" in query:
            found = sorted(found)
        assert found == expected, (query, user)


SearchMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=20, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_search_matches_a_walk = SearchMachine.TestCase
