"""``python -m rubriceng``: the command line."""

from rubriceng.cli import main

main()
