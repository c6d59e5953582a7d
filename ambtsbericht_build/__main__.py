"""``python -m ambtsbericht_build``: the same as the ``abuild`` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="abuild")
