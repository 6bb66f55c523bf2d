"""`python -m convert`: the same command line as the `convert` script."""

from .cli import main

main(prog_name="convert")
