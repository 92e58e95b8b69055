"""``python -m silkcore`` runs the ``silk`` command."""

import sys

from ._cli import main

sys.exit(main())
