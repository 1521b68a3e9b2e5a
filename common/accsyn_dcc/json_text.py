"""One way to read JSON from outside (files, servers, scenes): broken JSON is a ``ValueError``, and so is
JSON nested too deeply to read, never a ``RecursionError``."""

from __future__ import annotations

import json
from typing import IO, Any, Union


def loads(text: Union[str, bytes]) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


def load(stream: IO[str]) -> Any:
    return loads(stream.read())
