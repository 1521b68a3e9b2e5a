"""The data JSON an engine reads for one task, laid out as the accsyn daemon writes it."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import Any, Dict, Mapping, Sequence

from accsyn_dcc.workspace import Volume


def job_identity(payload: Mapping[str, Any], user: str) -> Dict[str, str]:
    """A stable identity for a local job: the same payload always gets the same id (so re-runs resume)."""
    digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:24]
    return {
        "id": digest,
        "code": str(payload.get("name") or digest),
        "user": user,
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
    }


def task_data(
    payload: Mapping[str, Any],
    job: Mapping[str, str],
    volumes: Sequence[Volume],
    local_share_paths: Mapping[str, str],
    site_code: str,
) -> Dict[str, Any]:
    """``compute``, ``shares``, ``client.config.sharepaths``, ``site``, ``job`` and ``process`` (section 4.4), for a
    node of site ``site_code`` that sees the shares at ``local_share_paths``."""
    compute = dict(payload)
    compute.update({key: job[key] for key in ("id", "code", "user", "created")})
    return {
        "compute": compute,
        "client": {
            "config": {
                "sharepaths": [
                    {"share": code, "share_hr": code, "path": path} for code, path in sorted(local_share_paths.items())
                ]
            }
        },
        "shares": [
            {
                "id": volume.id or volume.code,
                "code": volume.code,
                "default": volume.default,
                "paths": dict(volume.paths),
            }
            for volume in volumes
        ],
        "site": {"code": site_code},
        "job": dict(job),
        "process": {"id": uuid.uuid4().hex},
    }
