#!/usr/bin/env python3
"""Fails if an #include crosses the layers of DESIGN.md / STYLE.md 1:
sync/ includes no gRPC and nothing above it; only server/ (and tests)
include server/; only the RocksDB store includes <rocksdb/...>."""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.MULTILINE)

# (folder, forbidden include pattern, why)
RULES = [
    ("sync", re.compile(r"^(grpc|grpcpp|grpc\+\+)/|\.grpc\.pb\.h$"),
     "sync/ never includes gRPC"),
    ("sync", re.compile(r"^(server|client-sdk)/"),
     "sync/ depends on nothing above it"),
    ("client-sdk", re.compile(r"^server/"),
     "nothing outside server/ includes server/"),
    ("proto", re.compile(r"^(server|client-sdk|sync)/"),
     "proto/ depends on nothing"),
]
# <rocksdb/...> only in the RocksDB store, the tests that inject faults, and
# the benchmarks that measure raw RocksDB as a ceiling.
ROCKSDB = re.compile(r"^rocksdb/")
ROCKSDB_ALLOWED = {"sync/rocksdb_store.cc"}


def main(root: pathlib.Path) -> int:
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".h", ".cc", ".proto"} or "build" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        top = rel.split("/", 1)[0]
        for include in INCLUDE.findall(path.read_text(encoding="utf-8")):
            for folder, pattern, why in RULES:
                if top == folder and pattern.search(include):
                    problems.append(f"{rel}: includes {include}: {why}")
            if ROCKSDB.search(include) and rel not in ROCKSDB_ALLOWED \
                    and top not in ("tests", "bench"):
                problems.append(f"{rel}: includes {include}: only the RocksDB "
                                "store includes <rocksdb/...>")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
