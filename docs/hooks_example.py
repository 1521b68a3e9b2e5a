"""A studio hook for accsyn-dcc: copy it into the ``hooks`` folder beside the studio config file
(``ACCSYN_DCC_STUDIO_CONFIG``), or list its path under the studio config's ``"hooks"`` key.

It runs for every submit: the Qt and Blender dialogs, each host's scripted ``submit()`` and
``accsyn-dcc submit`` alike. Each function is optional; each call has ``hook_timeout`` seconds (default 10).
A hook that raises, runs too long or returns the wrong shape is reported in one line naming this file and
the function, and nothing is sent.

* ``before_dialog(choices)``: the initial choices (a frozen ``SubmitChoices``): return them adjusted.
* ``check(plan)``: ``plan.scene``, ``plan.choices``, ``plan.payloads``; return findings, each a
  ``("blocker" | "warning", message)`` pair, a ``{"severity", "message"}`` dict or a ``Finding``.
* ``before_send(payload)``: a Compute payload dict (``name``, ``engine``, ``input``, ``range``,
  ``filters``, ``envs``, ``queue``, ``settings``, ``parameters``...); return the payload to send.
* ``after_submit(jobs)``: the created job records (each with its ``id``).
"""

import dataclasses
import datetime
import os
import re

SHOT_FILE = re.compile(r"^[a-z]{2,4}\d{3,4}_[a-z]+_v\d{3}$")
"""Scene files are named <sequence><shot>_<task>_v<version>, e.g. ab0100_comp_v012."""
FORCED_FILTER = "ram:>16g"
SUBMIT_LOG = os.environ.get("STUDIO_SUBMIT_LOG") or os.path.expanduser("~/accsyn_submits.log")


def before_dialog(choices):
    """Every job starts in the studio's render queue unless the artist picks another."""
    return dataclasses.replace(choices, queue=choices.queue or "render")


def check(plan):
    """The naming convention: a warning here, a blocker for files that cannot be versioned at all."""
    name = os.path.splitext(os.path.basename(plan.scene))[0]
    if not re.search(r"_v\d{3}$", name):
        return [("blocker", f"{name} has no version (_v001); save a versioned file before submitting.")]
    if not SHOT_FILE.match(name):
        return [("warning", f"{name} does not follow <shot>_<task>_v<version> (e.g. ab0100_comp_v012).")]
    return []


def before_send(payload):
    """Every job asks for render nodes with 16 GB of memory and carries the pipeline's version."""
    filters = [part for part in (payload.get("filters") or "").split(",") if part and not part.startswith("ram:")]
    payload["filters"] = ",".join([*filters, FORCED_FILTER])
    envs = payload.setdefault("envs", {})
    envs.get("common", envs)["STUDIO_PIPELINE"] = "2025.1"
    return payload


def after_submit(jobs):
    """One line per submitted job in the studio's submit log."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    with open(SUBMIT_LOG, "a", encoding="utf-8") as log:
        for job in jobs:
            log.write(f"{stamp} {os.environ.get('USER', '?')} job {job.get('id')} {job.get('name', '')}\n")
