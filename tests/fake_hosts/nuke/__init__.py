"""A stand-in for Foundry's ``nuke`` module with the real API's names and signatures, and no Nuke.

``_graph`` holds nodes, knobs, the root and script loading (used by the scanner tests);
``_ui`` holds menus, messages and script saving (used by the plugin tests).
"""

from nuke._graph import *  # noqa: F403
from nuke._ui import *  # noqa: F403
