"""WebDAV properties: the live ones objweb computes, and the dead ones clients store.

Live properties: `resourcetype`, `creationdate`, `getlastmodified`,
`getetag`, `displayname` (the title, or the name), `getcontentlength` and
`getcontenttype` (not for collections), `lockdiscovery` and `supportedlock`.
Only `displayname` can be changed (it sets the title); the others are
protected. Every other property is dead, stored with the object
(`objweb.content.deadproperties`).
"""

from datetime import datetime, timezone
from email.utils import formatdate
from xml.etree.ElementTree import fromstring, tostring
from xml.sax.saxutils import escape

from objweb.content.deadproperties import dead_properties
from objweb.content.file import File
from objweb.content.sources import source_media_type, source_of
from objweb.dav.door import etag
from objweb.dav.multistatus import DAV, clark, element, propstats
from objweb.errors import ValidationError

LIVE = ("resourcetype", "creationdate", "getlastmodified", "getetag", "displayname",
        "getcontentlength", "getcontenttype", "lockdiscovery", "supportedlock")
CHANGEABLE = frozenset({"{DAV:}displayname"})
MAX_NAMED = 200
SUPPORTED_LOCK = "<D:supportedlock>" + "".join(
    f"<D:lockentry><D:lockscope><D:{scope}/></D:lockscope><D:locktype><D:write/>"
    f"</D:locktype></D:lockentry>" for scope in ("exclusive", "shared")) + "</D:supportedlock>"
ALLPROP, PROPNAME, NAMED = "allprop", "propname", "named"


def active_lock(lock, root_href: str) -> str:
    """Return the `D:activelock` element of a lock; `root_href` is its root's URL path."""
    return (f"<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>"
            f"<D:{lock.scope}/></D:lockscope><D:depth>{lock.depth}</D:depth>{lock.owner_xml}"
            f"<D:timeout>Second-{lock.timeout}</D:timeout><D:locktoken><D:href>"
            f"{escape(lock.token)}</D:href></D:locktoken><D:lockroot><D:href>"
            f"{escape(root_href)}</D:href></D:lockroot></D:activelock>")


def lock_discovery(locks, href_of) -> str:
    """Return the `D:lockdiscovery` of `locks`; `href_of(path)` gives a lock root's href."""
    return "<D:lockdiscovery>" + "".join(active_lock(lock, href_of(lock.path))
                                         for lock in locks) + "</D:lockdiscovery>"


def content_length(obj) -> int:
    """Return the length of what a GET answers."""
    return obj.size if isinstance(obj, File) else len(source_of(obj))


def content_type(obj) -> str:
    """Return the media type of what a GET answers."""
    return obj.served_content_type if isinstance(obj, File) else source_media_type(obj)


def live_value(obj, local: str, discovery) -> str | None:
    """Return the XML of the live property `local` of `obj`, or None if it has none.

    `discovery()` returns its lockdiscovery, computed only when asked for.
    """
    if local == "resourcetype":
        return "<D:resourcetype><D:collection/></D:resourcetype>" if obj.is_container \
            else "<D:resourcetype/>"
    if local == "creationdate":
        created = datetime.fromtimestamp(obj.created, timezone.utc)
        return f"<D:creationdate>{created.strftime('%Y-%m-%dT%H:%M:%SZ')}</D:creationdate>"
    if local == "getlastmodified":
        return f"<D:getlastmodified>{formatdate(obj.modified, usegmt=True)}</D:getlastmodified>"
    if local == "getetag":
        return f"<D:getetag>{escape(etag(obj))}</D:getetag>"
    if local == "displayname":
        return f"<D:displayname>{escape(obj.title or obj.__name__ or '')}</D:displayname>"
    if local == "lockdiscovery":
        return discovery()
    if local == "supportedlock":
        return SUPPORTED_LOCK
    if obj.is_container:
        return None
    if local == "getcontentlength":
        return f"<D:getcontentlength>{content_length(obj)}</D:getcontentlength>"
    if local == "getcontenttype":
        return f"<D:getcontenttype>{escape(content_type(obj))}</D:getcontenttype>"
    return None


def propstats_of(obj, mode: str, names, discovery) -> str:
    """Return the propstat XML of `obj` for `allprop`, `propname` or the Clark `names`."""
    dead = dead_properties(obj)
    if mode == PROPNAME:
        tags = [f"{{DAV:}}{local}" for local in LIVE
                if live_value(obj, local, lambda: "") is not None]
        return propstats([element(tag) for tag in tags + list(dead.keys())])
    if mode == ALLPROP:
        found = [value for value in (live_value(obj, local, discovery) for local in LIVE)
                 if value is not None]
        return propstats(found + list(dead.values()))
    found, missing = [], []
    for tag in names:
        namespace, local = clark(tag)
        value = live_value(obj, local, discovery) if namespace == DAV else dead.get(tag)
        if value is None:
            missing.append(tag)
        else:
            found.append(value)
    return propstats(found, {404: missing} if missing else None)


def read_propfind(root) -> tuple[str, tuple]:
    """Return (mode, names) of a PROPFIND body (none: allprop). Raises `ValidationError`."""
    if root is None:
        return ALLPROP, ()
    if root.tag != "{DAV:}propfind" or len(root) == 0:
        raise ValidationError("a PROPFIND body is a DAV:propfind element")
    first = root[0]
    if first.tag == "{DAV:}allprop":
        return ALLPROP, ()
    if first.tag == "{DAV:}propname":
        return PROPNAME, ()
    if first.tag != "{DAV:}prop":
        raise ValidationError("a DAV:propfind holds allprop, propname or prop")
    if len(first) > MAX_NAMED:
        raise ValidationError(f"a PROPFIND asks for at most {MAX_NAMED} properties")
    return NAMED, tuple(child.tag for child in first)


def read_updates(root) -> list[tuple[str, str | None]]:
    """Return the (name, XML text or None to remove) pairs of a PROPPATCH body, in order.

    Raises `ValidationError` for a body that is not a DAV:propertyupdate.
    """
    if root is None or root.tag != "{DAV:}propertyupdate":
        raise ValidationError("a PROPPATCH body is a DAV:propertyupdate element")
    changes = []
    for operation in root:
        if operation.tag not in ("{DAV:}set", "{DAV:}remove"):
            raise ValidationError("a DAV:propertyupdate holds set and remove")
        for prop in operation:
            if prop.tag != "{DAV:}prop":
                raise ValidationError("DAV:set and DAV:remove hold DAV:prop")
            for child in prop:
                changes.append((child.tag, serialize(child)
                                if operation.tag == "{DAV:}set" else None))
    return changes


def serialize(node) -> str:
    """Return an element as XML text that declares the namespaces it uses."""
    node.tail = None
    return tostring(node, encoding="unicode")


def text_of(xml_text: str) -> str:
    """Return the text content of a property element written by `serialize`."""
    # Text this module wrote from a tree the hardened parser built: no DTD can be in it.
    return "".join(fromstring(xml_text).itertext())
