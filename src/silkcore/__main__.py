"""``python -m silkcore`` runs the ``silk`` command."""

import sys

from .cli import main

sys.exit(main())
