"""``python -m helpers.synth``: see :func:`helpers.synth.main`."""

from helpers.synth import main

raise SystemExit(main())
