"""`python -m plugin` is the same as `kring`."""

from plugin.cli import main

main()
