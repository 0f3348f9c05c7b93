"""``python -m crashmap`` runs the command-line interface."""

from crashmap.cli import main

raise SystemExit(main())
