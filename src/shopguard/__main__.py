"""`python -m shopguard` runs the CLI."""

from shopguard.cli import main

main()
