"""The test render: one frame of a job rendered by the local farm in place and on an empty site, compared.

The empty site is a temporary folder root holding only what the job sends (its input and dependencies, copied
by the farm's transfers), so a frame that differs there reads a file the job does not send. The frame is the
first of the job's range; both renders go to temporary folders and are compared by ``compare.same_pixels``.
Only engines whose images ``compare`` can read are test-rendered; a file at an absolute path on no share is
read where it is even by the empty site (it is on this machine), so only the send rule's findings name those.
"""

from __future__ import annotations

import os
import tempfile
import threading
from typing import Any, List, Mapping, Optional

from accsyn_dcc.farm.compare import READERS, read_pixels, same_pixels
from accsyn_dcc.farm.runner import FarmSummary, LocalFarm
from accsyn_dcc.farm.sites import farm_sites
from accsyn_dcc.preflight import BLOCKER, WARNING, Finding
from accsyn_dcc.ranges import FrameRange

TRIAL_SECONDS = 900
"""The longest both renders of a test render may take together before they are stopped."""
EMPTY_SITE = "empty"
"""The code of the temporary site that holds only what the job sends."""
CODE = "test_render"


def trial_render(payload: Mapping[str, Any], settings: Any, seconds: float = TRIAL_SECONDS) -> Finding:
    """Render the first frame of ``payload`` in place and on an empty site; one finding says how they compare."""
    if not payload.get("range"):
        return _note("not run: the job has no frame range to take one frame from")
    frame = FrameRange.parse(str(payload["range"])).first
    if not str(payload.get("input") or "").startswith(("share=", "volume=")):
        return _note(f"not run: {payload.get('input')} is on no share, so no empty site can be sent it")
    with tempfile.TemporaryDirectory(prefix="accsyn-test-render-") as folder:
        described = settings.site_entries
        sites = farm_sites(described, [f"{EMPTY_SITE}={os.path.join(folder, EMPTY_SITE)}"], 1)
        farms = [
            LocalFarm(
                dict(payload, range=str(frame), filters=f"site:{site}", output=os.path.join(folder, f"{site}-frame")),
                volumes=settings.workspace.volumes,
                local_share_paths=settings.local_share_paths,
                workers=1,
                retries=0,
                work_dir=os.path.join(folder, f"{site}-work"),
                progress=False,
                fresh=True,
                sites=sites,
            )
            for site in (sites[0].code, EMPTY_SITE)
        ]
        family = os.path.splitext(os.path.basename(farms[0].script))[0]
        if family not in READERS:
            return _note(f"not run: {payload.get('engine')} frames cannot be compared here (only Blender's)")
        summaries = _run_within(farms, seconds)
        if summaries is None:
            return _note(f"frame {frame} did not render in place and on an empty site within {seconds:g} s; "
                         "it was stopped, nothing compared")  # fmt: skip
        in_place, empty = summaries
        if not in_place.ok:
            return _blocker(f"frame {frame} fails to render in place: {_reason(in_place)}")
        if not empty.ok:
            return _blocker(f"frame {frame} fails on an empty site: {_reason(empty)}")
        return _compared(frame, [str(farm.payload["output"]) for farm in farms], family)


def _compared(frame: int, outputs: List[str], family: str) -> Finding:
    """The finding for two renders of ``frame`` whose images are in the ``outputs`` folders."""
    names = sorted(name for name in os.listdir(outputs[0]) if not name.startswith("."))
    if not names:
        return _note(f"frame {frame} rendered no image in place; nothing compared")
    images = read_pixels([os.path.join(output, name) for name in names for output in outputs], family)
    for index, name in enumerate(names):
        if not same_pixels(images[2 * index], images[2 * index + 1]):
            return _blocker(f"frame {frame} renders differently on an empty site ({name}): the job is missing a "
                            "file the render reads")  # fmt: skip
    return _note(f"frame {frame} renders the same on an empty site")


def _run_within(farms: List[LocalFarm], seconds: float) -> Optional[List[FarmSummary]]:
    """Each farm's run in turn on a thread of its own; None when they took longer than ``seconds`` (stopped)."""
    summaries: List[FarmSummary] = []
    errors: List[BaseException] = []

    def run() -> None:
        try:
            for farm in farms:
                summaries.append(farm.run())
        except BaseException as error:  # raised again on the caller's thread
            errors.append(error)

    worker = threading.Thread(target=run, name="accsyn-test-render", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for farm in farms:
            farm.stop()
        worker.join()
        return None
    if errors:
        raise errors[0]
    return summaries


def _reason(summary: FarmSummary) -> str:
    return next((task.reason for task in summary.tasks if not task.ok and task.reason), "it failed")


def _note(text: str) -> Finding:
    return Finding(WARNING, CODE, f"test render: {text}")


def _blocker(text: str) -> Finding:
    return Finding(BLOCKER, CODE, f"test render: {text}")
