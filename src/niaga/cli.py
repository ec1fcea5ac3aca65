"""The `niaga` command: Django's management commands under the product's name.

`niaga migrate`, `niaga createsuperuser`, `niaga shell`, and the project's own
commands (`niaga demo`, `niaga backup`, `niaga restore`, …) all run here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niaga.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["niaga", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
