"""Operating a site: database servers, configuration, backups, packing and transfers.

The modules here are used by the `objweb` command (`zeo`, `backup`,
`restore`, `pack`, `export`, `import`) and by the PasteDeploy entry point;
they import the rooms below them and nothing imports them but `objweb.db`,
`objweb.cli` and `objweb.wsgi`.
"""
