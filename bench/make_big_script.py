"""Generate a big Nuke script and its frame sequences on disk, for the scan benchmark.

    python bench/make_big_script.py OUT [--nodes 10000] [--reads 2000] [--frames 1000] [--reads-per-folder 10]

Every Read gets its own sequence (one frame in 50 missing); the rest of the nodes are Grades,
Merges and Groups with Writes inside.
"""

from __future__ import annotations

import argparse
import os
from typing import List


def make(out: str, nodes: int, reads: int, frames: int, reads_per_folder: int) -> str:
    first = 1001
    lines: List[str] = [
        "#! /usr/local/Nuke15.1v3/libnuke-15.1.3.so -nx",
        "version 15.1 v3",
        f"Root {{\n inputs 0\n name {out}/big.nk\n first_frame {first}\n last_frame {first + frames - 1}\n}}",
    ]
    for index in range(reads):
        folder = os.path.join(out, "plates", f"p{index // reads_per_folder:04d}")
        os.makedirs(folder, exist_ok=True)
        for frame in range(first, first + frames):
            if frame % 50 != 7:
                open(os.path.join(folder, f"plate{index}.{frame:04d}.exr"), "w").close()
        lines.append(f"Read {{\n inputs 0\n file {folder}/plate{index}.%04d.exr\n first {first}\n"
                     f" last {first + frames - 1}\n name Read{index}\n xpos {index}\n ypos 0\n}}")  # fmt: skip
    for index in range(nodes - reads):
        if index % 500 == 0:
            lines.append(f"Group {{\n name Group{index}\n}}\n Write {{\n  file {out}/out/g{index}.%04d.exr\n }}")
            lines.append("end_group")
        else:
            lines.append(f"Grade {{\n white {{1.1 1 1 1}}\n name Grade{index}\n xpos {index}\n ypos 100\n}}")
    path = os.path.join(out, "big.nk")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--reads-per-folder", type=int, default=10)
    args = parser.parse_args()
    print(make(args.out, args.nodes, args.reads, args.frames, args.reads_per_folder))


if __name__ == "__main__":
    main()
