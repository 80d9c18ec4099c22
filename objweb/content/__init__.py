"""The persistent content types and the registry that names them."""

from objweb.content.base import Item
from objweb.content.file import File
from objweb.content.folder import Folder
from objweb.content.image import Image
from objweb.content.ordered import OrderedFolder
from objweb.content.page import Page
from objweb.content.registry import (
    addable_types, construct, register_type, type_named, type_names)
from objweb.content.script import Script
from objweb.content.template import Template
from objweb.content.userfolder import UserFolder

for _type in (Folder, OrderedFolder, Page, File, Image, Template, Script, UserFolder):
    register_type(_type)

__all__ = [
    "File", "Folder", "Image", "Item", "OrderedFolder", "Page", "Script", "Template",
    "UserFolder",
    "addable_types", "construct", "register_type", "type_named", "type_names",
]
