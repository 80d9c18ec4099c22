"""The management interface: one small view class per screen, registered by name."""

from objweb.zmi import (  # noqa: F401 (registering the screens)
    access, adding, contents, control, edit, find, importexport, navigation, properties,
    static, undo, users)
from objweb.zmi import revisions, testtab  # noqa: F401 (registering the History and Test tabs)
