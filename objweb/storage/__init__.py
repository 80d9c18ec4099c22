"""Where a site is kept: opening databases, history and undo, packing, backups, transfers.

Nothing here speaks HTTP: the web room, the screens and the `objweb` command
all call these same functions, so a database is packed, backed up, exported
or undone one way whichever door asks.
"""
