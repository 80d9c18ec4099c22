"""objweb-news: news items for an objweb site, as an installable extension.

What it adds, each through the `config` objweb hands to `include`:

- the content type `NewsItem` (a title, a lead, an HTML body, the day it is
  published and its tags), addable in any folder from the ZMI, the JSON API
  and Python;
- its default page, rendered from `templates/newsitem.pt`;
- `@@latest` on every folder: the newest published items below it, found
  through the catalog;
- the catalog indexes `tags` (keyword) and `published` (date);
- the permission "Publish news" (Managers and Editors by default), which
  guards the `@@publish` view;
- upgrade step 1, which writes the tags of items stored by version 0.9 in
  lower case.
"""

from datetime import date, timedelta

import objweb
from objweb import Field, Folder, Item
from objweb.extensions.upgrades import objects

PUBLISH_NEWS = "Publish news"
LATEST_COUNT = 10


class NewsItem(Item):
    """A news item: published once its day has come."""

    type_name = "NewsItem"
    fields = Item.fields + (
        Field("lead", "text", "Lead"),
        Field("body", "html", "Body"),
        Field("published", "date", "Published on"),
        Field("tags", "lines", "Tags"),
    )

    @classmethod
    def can_be_added_to(cls, container) -> bool:
        """News items go in folders."""
        return isinstance(container, Folder)

    @property
    def is_published(self) -> bool:
        """Whether the item's day of publication has come."""
        return self.published is not None and self.published <= date.today()


def latest(folder, request) -> dict:
    """The newest published news items below `folder` that the visitor may see."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    found = objweb.search(folder, type=NewsItem.type_name, published_before=tomorrow,
                          sort_on="published", sort_order="descending")
    return {"items": [result.object() for result in found[:LATEST_COUNT]]}


def publish(item, request) -> dict:
    """Publish `item` today (or on the day the form says); answer its day as JSON."""
    item.edit(published=request.params.get("on") or date.today().isoformat())
    return {"published": item.published.isoformat()}


def lower_case_tags(root) -> None:
    """Version 1: tags are written in lower case, each once."""
    for obj in objects(root):
        if isinstance(obj, NewsItem) and any(tag != tag.lower() for tag in obj.tags):
            obj.edit(tags=list(dict.fromkeys(tag.lower() for tag in obj.tags)))


def include(config) -> None:
    """Add news items to objweb."""
    config.add_type(NewsItem)
    config.add_permission(PUBLISH_NEWS, default_roles=["Manager", "Editor"])
    config.add_view(NewsItem, "", template="templates/newsitem.pt")
    config.add_view(Folder, "latest", latest, template="templates/latest.pt")
    config.add_view(NewsItem, "publish", publish, permission=PUBLISH_NEWS, methods=("POST",))
    config.add_index("tags", "keyword")
    config.add_index("published", "date")
    config.add_upgrade_step(1, lower_case_tags, title="Tags in lower case")
