#!/usr/bin/env python
import os
import sys

from config.local_setup import ensure_local_setup


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    ensure_local_setup()  # local mode: the data directory and secret key, before settings are read
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
