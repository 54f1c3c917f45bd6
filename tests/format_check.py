#!/usr/bin/env python3
"""Fails if a C++ file of the project is not clang-formatted (.clang-format
at the root). Lists the files to fix with `clang-format -i`."""
import pathlib
import subprocess
import sys

FOLDERS = ["sync", "server", "client-sdk", "tests", "bench"]


def main(root: pathlib.Path) -> int:
    files = [p for folder in FOLDERS for p in sorted((root / folder).rglob("*"))
             if p.suffix in {".h", ".cc"}]
    bad = []
    for path in files:
        result = subprocess.run(
            ["clang-format", "--dry-run", "-Werror", str(path)],
            capture_output=True, text=True)
        if result.returncode != 0:
            bad.append(path.relative_to(root).as_posix())
    for b in bad:
        print(f"not formatted: {b}  (run clang-format -i {b})")
    print(f"clang-format: {len(files)} files checked, {len(bad)} not formatted")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
