"""Operating a site from the command line: the operators' subcommands, configuration and logs.

The modules here are used by the `objweb` command and by the PasteDeploy
entry point; they import the rooms below them and nothing imports them but
`objweb.cli` and `objweb.wsgi`.
"""
