"""Ordering of names as people read them."""

from __future__ import annotations

import re
from typing import List, Union


def natural_sort_key(text: str) -> List[Union[int, str]]:
    """Sort key putting ``nuke-9`` before ``nuke-16`` (digit runs compare as numbers)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]
