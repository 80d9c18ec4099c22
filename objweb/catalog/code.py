"""Search from Scripts and Templates: `context.search(**query)`.

The same vocabulary as `objweb.search`, with `context` as the default
path. What code finds is what its policy may View: the user running it and
each owner of the code (executable ownership), so code never finds more
than its owner could. Calling it needs View on the object it is read from.
The name is offered on every object of the site; a site's own item, or
Template or Script, named `search` hides it (see
`objweb.sandbox.guards.offer_to_code`).
"""

from objweb.catalog.results import Results
from objweb.catalog.search import find_results, lists_of
from objweb.security.protections import VIEW
from objweb.sandbox.guards import offer_to_code
from objweb.sandbox.run import current_run


def include() -> None:
    """Offer `search` to code (idempotent)."""
    offer_to_code("search", VIEW, searcher)


def searcher(context):
    """Return `search(**query)` for code, answering below `context` for the code's policy."""
    def search(**query) -> Results:
        run = current_run()
        run.budget.tick()
        return find_results(context, lists_of(query), policy=run.policy)
    return search
