#!/usr/bin/env python3
"""Builds the fuzz targets with clang's libFuzzer and runs each for a
bounded time over its committed seed corpus.

  tests/fuzz/fuzz.py --build-dir build [--seconds N] [TARGET...]

Only the parsers a target exercises are compiled again, with clang and
libFuzzer's coverage, AddressSanitizer and UBSan; the generated protobuf
code comes from the main (gcc) build, which must be built first. The test
command runs every target FIELDSYNC_FUZZ_SECONDS seconds (default 5); run
longer on demand, e.g. FIELDSYNC_FUZZ_SECONDS=600. New inputs a run finds
go to a scratch corpus in the build folder, never into the repository; an
input that crashes is kept there as crash-*, to become a unit test.
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The parsers the targets exercise, compiled once for all of them.
SOURCES = [
    "sync/cursor.cc",
    "sync/deterministic.cc",
    "sync/field_error.cc",
    "sync/field_path.cc",
    "sync/keys.cc",
    "sync/pull_page.cc",
    "sync/scope_log_run.cc",
    "sync/text_fold.cc",
    "sync/zstd_codec.cc",
    "server/page_token.cc",
    "server/listen_address.cc",
    "server/server_config.cc",
]
TARGETS = [
    "cursor",
    "mutation_value",
    "page_documents",
    "page_token",
    "scope_log_record",
    "server_config",
    "zstd_frame",
]
PKG_CONFIG = ["protobuf", "absl_status", "absl_statusor", "absl_strings",
              "absl_str_format", "absl_cord", "libzstd", "zlib", "libutf8proc", "yaml-cpp"]
SANITIZE = "address,undefined"
COMPILE = ["-std=c++20", "-O1", "-g", "-fno-sanitize=vptr",
           "-fno-omit-frame-pointer"]


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"fuzz: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return done.stdout


def jobs():
    return int(os.environ.get("JOBS", "2"))


def newer(output, inputs):
    if not os.path.exists(output):
        return False
    made = os.path.getmtime(output)
    return all(os.path.getmtime(i) <= made for i in inputs)


def build(build_dir, targets):
    out = os.path.join(build_dir, "fuzz")
    os.makedirs(os.path.join(out, "obj"), exist_ok=True)
    proto_lib = os.path.join(build_dir, "proto", "libfieldsync_proto.a")
    if not os.path.exists(proto_lib):
        sys.exit(f"fuzz: {proto_lib} is missing; build the project first")
    includes = ["-I", ROOT, "-I", os.path.join(build_dir, "proto")]
    libs = run(["pkg-config", "--libs"] + PKG_CONFIG).split()

    def compile_one(source, sanitize):
        obj = os.path.join(out, "obj",
                           source.replace("/", "_").replace(".cc", ".o"))
        path = os.path.join(ROOT, source)
        # Headers are not tracked: a changed header means a clean fuzz
        # folder (the test command's builds are fresh in CI).
        if not newer(obj, [path]):
            run(["clang++"] + COMPILE + [f"-fsanitize={sanitize}"] +
                includes + ["-c", path, "-o", obj])
        return obj

    with concurrent.futures.ThreadPoolExecutor(jobs()) as pool:
        objects = list(pool.map(
            lambda s: compile_one(s, f"fuzzer-no-link,{SANITIZE}"), SOURCES))
        mains = list(pool.map(
            lambda t: compile_one(f"tests/fuzz/{t}_fuzz.cc",
                                  f"fuzzer-no-link,{SANITIZE}"), targets))
    binaries = {}
    for target, main in zip(targets, mains):
        binary = os.path.join(out, f"{target}_fuzz")
        if not newer(binary, objects + [main, proto_lib]):
            run(["clang++", f"-fsanitize=fuzzer,{SANITIZE}", main] + objects +
                [proto_lib] + libs + ["-o", binary])
        binaries[target] = binary
    return binaries


def fuzz(build_dir, binaries, seconds):
    failed = []
    for target, binary in binaries.items():
        seeds = os.path.join(HERE, "corpus", target)
        scratch = os.path.join(build_dir, "fuzz", "corpus", target)
        os.makedirs(scratch, exist_ok=True)
        artifacts = os.path.join(build_dir, "fuzz", "artifacts", target) + "/"
        os.makedirs(artifacts, exist_ok=True)
        command = [binary, f"-max_total_time={seconds}", "-timeout=10",
                   "-rss_limit_mb=2048", "-max_len=65536",
                   f"-artifact_prefix={artifacts}", "-print_final_stats=1",
                   scratch, seeds]
        done = subprocess.run(command, capture_output=True, text=True)
        stats = [line for line in done.stderr.splitlines()
                 if line.startswith(("stat::number_of_executed_units",
                                     "Done "))]
        print(f"{target}: exit {done.returncode}; "
              f"{stats[-1] if stats else 'no stats'}")
        if done.returncode != 0:
            failed.append(target)
            print(done.stderr[-6000:])
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--seconds", type=int,
                        default=int(os.environ.get("FIELDSYNC_FUZZ_SECONDS",
                                                   "5")))
    parser.add_argument("targets", nargs="*", choices=TARGETS + [[]],
                        default=[])
    args = parser.parse_args()
    if shutil.which("clang++") is None:
        sys.exit("fuzz: clang++ is missing (scripts/install-deps.sh)")
    targets = args.targets or TARGETS
    binaries = build(os.path.abspath(args.build_dir), targets)
    failed = fuzz(os.path.abspath(args.build_dir), binaries, args.seconds)
    if failed:
        print(f"fuzz: {', '.join(failed)} failed")
        return 1
    print(f"fuzz: {len(binaries)} targets ran {args.seconds} s each, "
          "no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
