"""An instance home: `objweb.ini`, logging set-up, the server and the PasteDeploy entry point.

What runs a site as a process, and nothing a web request needs.
"""
