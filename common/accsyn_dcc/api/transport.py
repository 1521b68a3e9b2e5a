"""Wire format of accsyn API v3 (accsyn-protocol.md sections 1.3-1.7): envelope, encoding, headers, replies."""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import os
import socket
import sys
import urllib.parse
import uuid
import zlib
from typing import Any, Dict, Optional

from accsyn_dcc import __version__, json_text

GZIP_THRESHOLD = 100 * 1024
"""Payloads whose size *estimate* is strictly above this travel gzipped and base64-encoded in ``gz_data``."""
HOST_LOOKUP_URI = "/J3PKTtDvolDMBtTy6AFGA"
LOGIN_URI = "/api/login"
EVENT_URI = "/event"
QUERY_METHODS = ("GET", "DELETE")
"""Methods whose JSON travels percent-encoded as the whole raw query string."""


def utc_timestamp(moment: Optional[datetime.datetime] = None) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` in UTC, the only date form accsyn exchanges."""
    moment = moment or datetime.datetime.now(datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def estimate_size(value: Any) -> int:
    """accsyn's recursive size estimate: key lengths plus values; str by length, None 0, other scalars 10."""
    if value is None:
        return 0
    if isinstance(value, dict):
        return sum(len(str(key)) + estimate_size(item) for key, item in value.items())
    if isinstance(value, list):
        return sum(estimate_size(item) for item in value)
    if isinstance(value, str):
        return len(value)
    return 10


def dumps(value: Any) -> str:
    """JSON text with the default separators, as the official client sends it."""
    return json.dumps(value)


def gzip_data(data: Any) -> str:
    """The ``gz_data`` form: ASCII JSON, gzipped, base64 text."""
    return base64.b64encode(gzip.compress(dumps(data).encode("ascii"))).decode("ascii")


def ungzip_data(text: str, limit: Optional[int] = None) -> Any:
    """The data of a ``gz_data`` text; ValueError when it is not one, or unpacks to more than ``limit`` bytes."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the gzip wrapper
    try:
        unpacked = unpacker.decompress(base64.b64decode(text), 0 if limit is None else limit + 1)
    except zlib.error as error:
        raise ValueError(f"not gzip data ({error})") from None
    if limit is not None and len(unpacked) > limit:
        raise ValueError(f"it unpacks to more than {limit} bytes")
    if not unpacker.eof:
        raise ValueError("the gzip data ends early")
    return json_text.loads(unpacked.decode("utf-8"))


def envelope(
    workspace: str,
    session: str,
    user: str,
    uri: str,
    data: Any = None,
    query: Optional[str] = None,
    entity_id: Optional[str] = None,
) -> Dict[str, Any]:
    """The event object sent to ``/api/v3/event``; big payloads go in ``gz_data`` instead of ``data``."""
    event: Dict[str, Any] = {
        "audience": "api",
        "workspace": workspace,
        "eid": str(uuid.uuid4()),
        "session": session,
        "uri": uri,
        "ident": user,
        "created": utc_timestamp(),
        "hostname": socket.gethostname(),
    }
    if data and estimate_size(data) > GZIP_THRESHOLD:
        event["gz_data"] = gzip_data(data)
    else:
        event["data"] = data
    if query:
        event["query"] = query
    if entity_id:
        event["id"] = entity_id
    return event


def raw_query(value: Any) -> str:
    """The raw query string of a GET/DELETE: the percent-encoded JSON itself, no ``key=``."""
    return urllib.parse.quote(dumps(value))


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def device_header() -> str:
    return f"accsyn-dcc v{__version__} @ {sys.platform} {socket.gethostname()}({os.name})"


def headers(
    workspace: Optional[str] = None, user: Optional[str] = None, api_key: Optional[str] = None
) -> Dict[str, str]:
    """``X-Accsyn-Device`` always; ``Authorization`` (``basic b64(user):b64(key)``) and workspace when given."""
    result = {"X-Accsyn-Device": device_header()}
    if workspace and user and api_key:
        result["Authorization"] = f"basic {_b64(user)}:{_b64(api_key)}"
        result["X-Accsyn-Workspace"] = workspace
    return result


def strip_object_ids(value: Any) -> Any:
    """Reply decoding: strings starting ``ObjectId:`` lose that prefix, inside dicts and lists of dicts.

    Dates stay ``YYYY-MM-DDTHH:MM:SS`` UTC strings (the official client turns them into datetimes).
    """
    if isinstance(value, dict):
        return {key: _strip_item(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strip_object_ids(item) if isinstance(item, dict) else item for item in value]
    return value


def _strip_item(item: Any) -> Any:
    if isinstance(item, str) and item.startswith("ObjectId:"):
        return item[len("ObjectId:") :]
    if isinstance(item, (dict, list)):
        return strip_object_ids(item)
    return item
