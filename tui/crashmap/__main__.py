"""``python -m crashmap`` runs the command-line interface."""

from crashmap.cli import run_process

raise SystemExit(run_process())
