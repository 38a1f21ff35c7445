"""Shim for tools that still run ``setup.py`` (``scrapyd-deploy`` builds its egg with it).

Everything is configured in ``pyproject.toml``; without this file ``scrapyd-deploy`` would write
a ``setup.py`` of its own into the checkout.
"""

from setuptools import setup

setup()
