"""Allow ``python -m accsyn_dcc``."""

import sys

from accsyn_dcc.cli import main

sys.exit(main())
