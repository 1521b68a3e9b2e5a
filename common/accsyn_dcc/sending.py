"""Which existing files a job may send: the one rule the pre-flight words and the transfer plan obeys.

A file in a private place (``private_paths``) is never sent, whatever the flags. A file on no accsyn share
and outside the scene's folder is sent only when the artist chose it by name (``--send-off-share PATH``, a
ticked row in the dialog, ``send_off_share=[...]`` in a script): ``--allow-missing`` is about missing
files and nothing else. A file on no share inside the scene's folder is sent from this machine, as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, FrozenSet, Iterable, Optional

from accsyn_dcc.private_paths import PrivatePlaces

OnShare = Callable[[str], bool]
"""``on_share(path)``: True when the path lies on one of the workspace's shares."""

PRIVATE_LOCATION = "private_location"
OUTSIDE_PROJECT = "outside_project"


@dataclass(frozen=True)
class Withheld:
    """Why a file is not sent: a stable code and the words after "<node.knob>: <path> ..."."""

    code: str
    reason: str


class SendRule:
    """The rule for one submit's check: its shares, the scene's folder and the off-share files chosen by name."""

    def __init__(
        self,
        on_share: Optional[OnShare],
        scene_folder: str,
        chosen_off_share: Iterable[str] = (),
        places: Optional[PrivatePlaces] = None,
        scene_word: str = "scene",
    ) -> None:
        self.on_share = on_share
        self.scene_folder = os.path.normpath(scene_folder) if scene_folder else ""
        self.chosen: FrozenSet[str] = frozenset(chosen_off_share)
        self.places = places if places is not None else PrivatePlaces.here()
        self.scene_word = scene_word

    def private(self, path: str) -> Optional[Withheld]:
        """A file in a private place: never sent, even when named by hand."""
        reason = self.places.reason_on_disk(path)
        if reason is None:
            return None
        return Withheld(PRIVATE_LOCATION, f"is in {reason}; files there are never sent to a farm, whatever the "
                                          "flags. Put what the shot needs on a share.")  # fmt: skip

    def off_share(self, path: str) -> bool:
        return self.on_share is not None and not self.on_share(path)

    def withheld(self, path: str) -> Optional[Withheld]:
        """Why the scene's file ``path`` (one that exists) is not sent, or None when it is."""
        private = self.private(path)
        if private is not None or not self.off_share(path) or self.inside_scene_folder(path):
            return private
        if any(_inside(path, chosen) for chosen in self.chosen):
            return None
        reason = (f"lies on no accsyn share and outside the {self.scene_word}'s folder, so it is not sent; if it "
                  "belongs to the shot, choose to send it from this machine by name (--send-off-share PATH, or tick "
                  "it in the dialog).")  # fmt: skip
        return Withheld(OUTSIDE_PROJECT, reason)

    def inside_scene_folder(self, path: str) -> bool:
        return bool(self.scene_folder) and _inside(path, self.scene_folder)


def _inside(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it (a file chosen by name, or by its folder)."""
    full, root = os.path.normpath(path), os.path.normpath(folder)
    return full == root or full.startswith(root.rstrip(os.sep) + os.sep)
