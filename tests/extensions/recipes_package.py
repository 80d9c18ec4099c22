"""The source of `recipes`, the extension package the tests write, install and remove."""

INIT = '''
"""Recipes: a content type, its views, a permission and an upgrade step."""

from objweb.content.base import Item
from objweb.events import ObjectAdded, ObjectEvent
from objweb.content.folder import Folder
from objweb.content.schema import Field

COOK = "Cook recipes"
# What the subscriber heard, for the tests to read: (event class, object's name).
HEARD = []


class Recipe(Item):
    type_name = "Recipe"
    fields = Item.fields + (Field("servings", "int", "Servings", default=2),
                            Field("steps", "text", "Steps"),
                            Field("cooked", "date", "Cooked on"),
                            Field("tags", "lines", "Tags"))

    @classmethod
    def can_be_added_to(cls, container):
        return isinstance(container, Folder)


class Cookbook(Folder):
    type_name = "Cookbook"


def card(obj, request):
    return "<h1>%s</h1><p>serves %d</p>" % (obj.title, obj.servings)


def facts(obj, request):
    return {"servings": obj.servings, "tags": list(obj.tags)}


def cook(obj, request):
    obj.edit(cooked=request.params.get("on", "2024-01-01"))
    return {"cooked": obj.cooked.isoformat()}


def untag_all(root):
    for obj in root.values():
        if isinstance(obj, Recipe):
            obj.edit(tags=[tag for tag in obj.tags if tag != "old"])


def hear(event):
    HEARD.append((type(event).__name__, event.object.__name__ or getattr(event, "old_name", None)))


def stamp_new_recipe(event):
    if isinstance(event.object, Recipe) and not event.object.steps:
        event.object.steps = "Cook it."


def include(config):
    config.add_type(Recipe)
    config.add_type(Cookbook)
    config.add_permission(COOK, default_roles=["Manager", "Editor"])
    config.add_view(Recipe, "", template="templates/recipe.pt")
    config.add_view(Recipe, "card", card, permission="View")
    config.add_view(Recipe, "facts", facts, template="templates/facts.pt")
    config.add_view(Recipe, "cook", cook, permission=COOK, methods=("POST",))
    config.add_upgrade_step(1, untag_all, title="Drop the tag old")
    config.subscribe(ObjectEvent, hear)
    config.subscribe(ObjectAdded, stamp_new_recipe)
    config.add_index("tags", "keyword")
    config.add_index("cooked", "date")
'''

RECIPE_TEMPLATE = '''<html><body>
<h1 class="recipe">${context.title}</h1>
<p>Serves ${context.servings}</p>
<ul><li tal:repeat="tag context.tags">${tag}</li></ul>
</body></html>
'''

FACTS_TEMPLATE = '''<p class="facts">${context.title} serves ${servings}: ${", ".join(tags)}</p>'''

MODULES = {
    "__init__.py": INIT,
    "templates/recipe.pt": RECIPE_TEMPLATE,
    "templates/facts.pt": FACTS_TEMPLATE,
}
