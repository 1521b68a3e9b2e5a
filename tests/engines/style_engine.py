"""A test engine written the way accsyn's own engines are (compute-scripts style), to prove compatibility.

It renders nothing: each item "renders" by a child Python printing a line, which the engine parses.
"""

import os
import sys
import traceback

if "ACCSYN_COMPUTE_COMMON_PATH" in os.environ:
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])

from common import Common


class Engine(Common):
    __revision__ = 3

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1-10",
        "default_bucketsize": 1,
        "max_bucketsize": 1,
        "filename_extensions": ".txt",
        "binary_filename_extensions": "",
    }
    PARAMETERS = {"arguments": "", "input_conversion": "always"}
    # -- ENGINE CONFIG END --

    def get_executable(self):
        return sys.executable

    def get_commandline(self, item):
        code = "import os; print('style engine rendered item ' + os.environ['ACCSYN_ITEM'])"
        return [self.get_executable(), "-c", code]

    def process_output(self, stdout, stderr):
        if stdout.startswith("style engine rendered item"):
            Common.info(f"saw item {stdout.split()[-1]}")
        return None


if __name__ == "__main__":
    if "--help" in sys.argv:
        Common.info("usage: python style_engine.py <path to data.json> | --probe | --help")
    else:
        try:
            app = Engine(sys.argv)
            if "--probe" in sys.argv:
                app.probe()
            else:
                app.load()
                app.execute()
        except Exception:
            Common.warning(traceback.format_exc())
            sys.exit(1)
