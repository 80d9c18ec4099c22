"""Running restricted code: whose rights it has, what it may spend, how it ends.

Each Script or Template call is a `Run`. Its `CodePolicy` answers every
question the guards ask, and allows only what both the user running the code
and the code's owner may do (executable ownership, as in Zope); a Script's
proxy roles replace the user's roles, never the owner's limit. All the runs
of one request share one `RunContext`: the budget, the user's own policy and
the request's view. The outermost run's boundary turns a failure into a
`CodeError` or `CodeLimitError` that says where it happened.

Code one executable hands another runs with the rights of both: a macro of
another Template (`call_as_part_of`), and every function, lambda and
generator code makes, which stays bound to the run that made it
(`call_as`), whoever calls it later.
"""

import contextvars
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from transaction.interfaces import TransientError

from objweb.errors import AccessDenied
from objweb.sandbox.budget import Budget, BudgetExceeded, Limits
from objweb.sandbox.costs import text_measure
from objweb.sandbox.failures import CodeError, CodeLimitError
from objweb.security.ownership import owner_principal
from objweb.security.policy import CODE_REFUSAL, Decision, Enforcement, SecurityPolicy
from objweb.security.principals import current_principal
from objweb.security.protections import MANAGE, VIEW
from objweb.traversal.location import path_of


class CodePolicy(Enforcement):
    """Allows what the user (or the proxy roles) and each of the code's owners may do.

    Code has one owner; code running as part of other code (a macro, a
    function another Script made) is limited by the owners of both.
    """

    refusal = CODE_REFUSAL

    def __init__(self, user: SecurityPolicy, *owners: SecurityPolicy | None):
        self.user = user
        self.owners = tuple(owner for owner in owners if owner is not None)

    @property
    def principal(self):
        """The principal running the code."""
        return self.user.principal

    def decide_action(self, action: str, obj) -> Decision:
        """Return the decision for `action` on `obj`: the user's, then each owner's."""
        decision = self.user.decide_action(action, obj)
        for owner in self.owners:
            if not decision:
                break
            decision = owner.decide_action(action, obj)
        return decision

    def decide(self, permission: str | None, obj) -> Decision:
        """Return the decision for `permission` on `obj`: the user's, then each owner's."""
        decision = self.user.decide(permission, obj)
        for owner in self.owners:
            if not decision:
                break
            decision = owner.decide(permission, obj)
        return decision

    def narrowed(self, other: "CodePolicy") -> "CodePolicy":
        """Return a policy allowing only what both this one and `other` allow."""
        limits = (self.user, *self.owners)
        added = [limit for limit in (other.user, *other.owners)
                 if not any(limit is known for known in limits)]
        return CodePolicy(self.user, *self.owners, *added) if added else self


@dataclass(frozen=True)
class Location:
    """Where in which Script or Template a run failed; lines and columns count from 1."""

    path: str
    kind: str
    line: int | None
    column: int | None = None
    source: str = ""

    def describe(self) -> str:
        """Return the place and the surrounding lines of source, the failing one marked."""
        where = f"{self.kind} {self.path}"
        if self.line is None:
            return where
        where += f", line {self.line}" + (f", column {self.column}" if self.column else "")
        lines = self.source.splitlines()
        first = max(1, self.line - 2)
        excerpt = [f"{'>' if number == self.line else ' '} {number:4d} | {lines[number - 1]}"
                   for number in range(first, min(len(lines), self.line + 2) + 1)]
        return "\n".join([where] + excerpt)


@dataclass
class Failure:
    """The first place a given exception was seen failing."""

    error: BaseException
    executable: object
    location: Location | None


@dataclass
class RunContext:
    """What every run of one request shares: the budget, the user, the request's view."""

    budget: Budget
    user_policy: SecurityPolicy
    request: object = None
    failure: Failure | None = None
    _owner_policies: dict = field(default_factory=dict)

    def owner_policy(self, executable) -> SecurityPolicy | None:
        """Return the policy of `executable`'s owner, or None for code with no owner.

        Code made by trusted code (no owner) is limited by its user only. An
        owner no longer in the user folder that defined them, or whose user
        folder is not above the code, is nobody: the code can do only what
        anonymous visitors can (see `objweb.security.ownership`). The user
        running their own code gets their own policy back.
        """
        principal = owner_principal(executable)
        if principal is None:
            return None
        user = self.user_policy.principal
        if principal == user and principal.domain is user.domain:
            return self.user_policy
        key = (principal, id(principal.domain))
        if key not in self._owner_policies:
            self._owner_policies[key] = SecurityPolicy(principal)
        return self._owner_policies[key]

    def policy_for(self, executable) -> CodePolicy:
        """Return the policy code in `executable` runs with."""
        proxy_roles = frozenset(getattr(executable, "proxy_roles", ()) or ())
        owner = self.owner_policy(executable)
        if not proxy_roles:
            # A user running their own code is limited by their rights once.
            return CodePolicy(self.user_policy, None if owner is self.user_policy else owner)
        # Proxy roles replace the user's roles, never the owner's limit, even
        # when the owner is the user running the code.
        return CodePolicy(SecurityPolicy(self.user_policy.principal, proxy_roles=proxy_roles),
                          owner)


@dataclass
class Run:
    """One Script or Template call: its executable, its policy, the shared context."""

    context: RunContext
    executable: object
    policy: CodePolicy
    # Set by the code that knows where in its source a failure happened.
    locate: Callable[[BaseException], "Location | None"] | None = None

    @property
    def budget(self) -> Budget:
        """The budget of the whole request."""
        return self.context.budget


_current: ContextVar[Run | None] = ContextVar("objweb_code_run", default=None)


class NoRunError(RuntimeError):
    """A guard was called with no restricted code running: refuse everything."""


NO_RUN = "restricted code runs only inside a Script or Template call"


def current_run() -> Run:
    """Return the run of the restricted code calling.

    Raises `NoRunError` outside any run, so that a guard never allows by default.
    """
    run = _current.get()
    if run is None:
        raise NoRunError(NO_RUN)
    return run


def current_budget() -> Budget:
    """Return the budget of the run of the restricted code calling.

    `current_run().budget` in one call, for the guards every expression
    passes through. Raises `NoRunError` outside any run.
    """
    run = _current.get()
    if run is None:
        raise NoRunError(NO_RUN)
    return run.context.budget


def active_run() -> Run | None:
    """Return the run of the restricted code calling, or None."""
    return _current.get()


def execute(executable, body: Callable[[Run], object], *, request=None,
            user_policy: SecurityPolicy | None = None, limits: Limits | None = None):
    """Return what `body(run)` returns, run as `executable`'s code.

    Called from restricted code, the caller must be allowed to view
    `executable`, and the run shares the caller's budget and request. The
    outermost run starts a budget from `limits` and acts for `user_policy`
    (default: the current principal). Raises `CodeLimitError` past a limit,
    `CodeError` for any other failure of the code; denials (`Unauthorized`,
    `Forbidden`), database conflicts (to retry the request) and interruptions
    of the process pass through unchanged.
    """
    outer = _current.get()
    if outer is not None:
        outer.policy.check(VIEW, executable)
        return _run(outer.context, executable, body)
    shared = RunContext(Budget(limits or Limits()),
                        user_policy or SecurityPolicy(current_principal()), request)
    # In a context of its own: whatever happens, no run outlives the request.
    return contextvars.copy_context().run(_outermost, shared, executable, body)


def call_as(maker: Run, function, *args, **kwargs):
    """Return `function(*args, **kwargs)` called as code of the run `maker`.

    Called from another run, it acts with the rights of both: code never
    gets more than its maker had, nor more than the code calling it.
    """
    current = _current.get()
    if current is maker:
        return function(*args, **kwargs)
    if current is None:
        raise NoRunError(NO_RUN)
    joined = Run(current.context, maker.executable, maker.policy.narrowed(current.policy),
                 maker.locate)
    return _within(joined, function, args, kwargs)


def call_as_part_of(executable, function, *args, **kwargs):
    """Return `function(*args, **kwargs)` called, inside the current run, as code of `executable`.

    It acts with the rights of the current run and of `executable`'s owner:
    a macro of another Template is limited by both Templates' owners.
    """
    current = current_run()
    policy = current.policy.narrowed(current.context.policy_for(executable))
    part = Run(current.context, executable, policy, current.locate)
    return _within(part, function, args, kwargs)


def _within(run: Run, function, args, kwargs):
    token = _current.set(run)
    try:
        return function(*args, **kwargs)
    except BaseException as error:
        _note_failure(run, error)
        raise
    finally:
        _current.reset(token)


def _run(shared: RunContext, executable, body: Callable[[Run], object]):
    run = Run(shared, executable, shared.policy_for(executable))
    return _within(run, _ended, (body, run), {})


def _ended(body: Callable[[Run], object], run: Run):
    result = body(run)
    # A stop the code swallowed (`return` in a `finally`) still ends the run.
    run.budget.raise_if_stopped()
    return result


def _outermost(shared: RunContext, executable, body: Callable[[Run], object]):
    try:
        return _run(shared, executable, body)
    except BaseException as error:
        outcome = _outcome(shared, error)
        if outcome is error:
            raise
        raise outcome from error


def _note_failure(run: Run, error: BaseException) -> None:
    shared = run.context
    if shared.failure is not None and shared.failure.error is error:
        return
    location = run.locate(error) if run.locate is not None else None
    shared.failure = Failure(error, run.executable, location)


def _outcome(shared: RunContext, error: BaseException) -> BaseException:
    if isinstance(error, (AccessDenied, TransientError)) \
            or not isinstance(error, (Exception, BudgetExceeded)):
        return error
    _bound_texts(error)
    failure = shared.failure
    where = _where(failure)
    detail = None
    if shared.user_policy.can(MANAGE, failure.executable):
        detail = f"{type(error).__name__}: {error}\n{_describe(failure)}"
    if isinstance(error, BudgetExceeded):
        return CodeLimitError(f"The {where} {error} and was stopped; its changes were not kept.",
                              kind=error.kind, detail=detail)
    return CodeError(f"The {where} failed.", detail=detail)


# The longest text of an error code raised that the answer and the log carry.
ERROR_TEXT_LIMIT = 2000
# The most work spent measuring it, whatever the code's own limits: about a millisecond.
ERROR_TEXT_WORK = 1_000_000
_CHAINED_ERRORS = 100


def _bound_texts(error: BaseException) -> None:
    """Give `error`, and those it was raised from, texts of bearable length.

    Code may raise `ValueError([s] * 10**6)`: its text would be written
    after the run, by the log and the error page, out of reach of any limit.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen and len(seen) < _CHAINED_ERRORS:
        seen.add(id(error))
        chars, work = text_measure(error.args, ERROR_TEXT_LIMIT, ERROR_TEXT_WORK, _no_tick)
        if chars > ERROR_TEXT_LIMIT or work > ERROR_TEXT_WORK:
            error.args = (f"(a value of more than {ERROR_TEXT_LIMIT} characters, not shown)",)
        error = error.__cause__ or error.__context__


def _no_tick() -> None:
    """Measuring an error's text once the run is over: no budget to check."""


def _where(failure: Failure) -> str:
    executable = failure.executable
    return f"{executable.type_name} at {path_of(executable)}"


def _describe(failure: Failure) -> str:
    if failure.location is not None:
        return failure.location.describe()
    return _where(failure)
