"""The evaluation years a user may name: a command's ``--year``, a request's ``?year=``.

A year outside them (``0``, ``20255``, twenty digits) is a slip, told as such before
anything is looked up. Kept apart from the model so that the command line can check its
options without importing it.
"""

from __future__ import annotations

EVALUATION_YEARS = (1949, 2200)
"""The first and the last evaluation year, inclusive."""
