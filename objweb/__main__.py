"""`python -m objweb` is the `objweb` command."""

import sys

from objweb.cli import main

sys.exit(main())
