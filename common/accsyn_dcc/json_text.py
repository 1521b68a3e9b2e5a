"""One way to read JSON from outside (files, servers, scenes): broken JSON is a ``ValueError``, and so is
JSON nested too deeply to read, never a ``RecursionError``."""

from __future__ import annotations

import json
from typing import IO, Any, Type, Union

from accsyn_dcc.errors import AccsynDccError


def loads(text: Union[str, bytes]) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


def load(stream: IO[str]) -> Any:
    return loads(stream.read())


def read_file(path: str, what: str, error: Type[AccsynDccError] = AccsynDccError) -> Any:
    """The JSON in the file at ``path``; ``error`` naming the file and ``what`` it is (``the payload``) when
    the file cannot be read or holds no valid JSON."""
    try:
        with open(path, encoding="utf-8") as stream:
            return load(stream)
    except OSError as problem:
        raise error(f"{path}: cannot read {what} ({problem.strerror or problem})") from None
    except ValueError as problem:
        raise error(f"{path}: {what} is not valid JSON ({problem})") from None
