"""The Import/Export tab of a folder: download a subtree, upload one to import.

The files are in ZODB's export format (`.zexp`), as Zope's are; an upload
may also be a zip of several, as the Contents tab's Export makes them.
Reading a file checks every record before anything is imported (see
`objweb.storage.transfer`).
"""

import webob

from objweb.content.folder import Folder
from objweb.errors import NameInUseError, ValidationError
from objweb.names import NAME_RULE
from objweb.security.protections import ADD, IMPORT_EXPORT
from objweb.traversal.location import path_of
from objweb.zmi import exporting
from objweb.zmi.forms import uploaded_file
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen


@screen(Folder, "manage_importexport", title="Import/Export", order=60, action=IMPORT_EXPORT)
class ImportExportScreen(Screen):
    """Export an item of this folder (or the folder itself); import a file into it."""

    template = "importexport.pt"
    name_rule = NAME_RULE

    @command("export")
    def export(self) -> webob.Response:
        """Download the named item, or this folder if no name is given."""
        name = (self.request.POST.get("name") or "").strip()
        obj = self.context if not name else self.context.get(name)
        if obj is None:
            raise ValidationError(f"there is no item {name!r} here", "name")
        return exporting.download_object(obj)

    @command("import", action=ADD)
    def import_file(self) -> webob.Response:
        """Import the uploaded file here, all or nothing.

        The user needs the right to create every type the file holds here, and
        owns everything it brings (see `objweb.content.incoming`).
        """
        post = self.request.POST
        upload = uploaded_file(post, "file")
        if upload is None:
            raise ValidationError("choose an export file to import", "file")
        try:
            made = exporting.import_upload(self.context, upload,
                                          (post.get("import_name") or "").strip(),
                                          policy=self.request.policy)
        except NameInUseError as error:
            raise ValidationError(f"{error}; give a name to import it under",
                                  "import_name") from None
        self.note(f"Imported {', '.join(made)} into {path_of(self.context)}")
        return self.redirect(self.url(screen="manage_contents"),
                             f"Imported {', '.join(made)}.")
