#!/usr/bin/env python3
"""Checks the claims the code makes, with Debian's clang.

  scripts/check.py thread-safety [--build-dir build]
      clang -fsyntax-only -Wthread-safety -Werror over every source that
      holds Abseil's lock annotations or includes a header that does: the
      ABSL_GUARDED_BY and ABSL_EXCLUSIVE_LOCKS_REQUIRED claims are then
      checked, not only written. Needs a configured build (its
      compile_commands.json and generated protos). Part of the test command.

  scripts/check.py sanitize [--build-dir build-asan]
      Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer
      (FIELDSYNC_SANITIZE=ON) and runs every test. On demand: it is a second
      build of everything, which CI's time cannot carry.

  scripts/check.py tidy [--build-dir build] [--all] [--timeout S] [FILE...]
      clang-tidy with the repository's .clang-tidy over the first-party
      sources but tests/ (or the FILEs given). On demand. --all takes the
      whole tree: tests/ too, and tests/fuzz/'s targets, which fuzz.py
      builds outside CMake and so have no compile command of their own
      (they get sync/cursor.cc's). Every protobuf header must be generated
      first (ninja fieldsync_proto fieldsync_test_protos
      fieldsync_bench_protos). About 200 sources, some 40 minutes with
      JOBS=1 on 2 cores; each source is given at most --timeout seconds
      (default 600) and one that takes longer counts as a finding.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRST_PARTY = ("sync/", "server/", "client-sdk/", "bench/", "tests/", "tools/")
ANNOTATION = re.compile(
    r"\bABSL_(GUARDED_BY|PT_GUARDED_BY|EXCLUSIVE_LOCKS_REQUIRED|"
    r"SHARED_LOCKS_REQUIRED|LOCKS_EXCLUDED|ACQUIRED_AFTER|ACQUIRED_BEFORE|"
    r"EXCLUSIVE_LOCK_FUNCTION|UNLOCK_FUNCTION|ASSERT_EXCLUSIVE_LOCK)\(")
INCLUDE = re.compile(r'^#include "([^"]+)"', re.MULTILINE)


def jobs():
    return int(os.environ.get("JOBS", "2"))


def first_party(path):
    rel = os.path.relpath(path, ROOT)
    return rel.startswith(FIRST_PARTY) and not rel.startswith("..")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def compile_commands(build_dir):
    path = os.path.join(build_dir, "compile_commands.json")
    if not os.path.exists(path):
        sys.exit(f"check: {path} is missing; configure the build first "
                 "(scripts/build.sh)")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def annotated_sources(entries):
    """The first-party sources the analysis has something to check in: those
    with annotations and those that include an annotated header."""
    annotated_headers = set()
    for directory in ("sync", "server", "client-sdk", "bench", "tests"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, directory)):
            for name in files:
                path = os.path.join(dirpath, name)
                if name.endswith(".h") and ANNOTATION.search(read(path)):
                    annotated_headers.add(os.path.relpath(path, ROOT))
    chosen = []
    for entry in entries:
        source = entry["file"]
        if not first_party(source):
            continue
        text = read(source)
        if ANNOTATION.search(text) or annotated_headers.intersection(
                INCLUDE.findall(text)):
            chosen.append(entry)
    return chosen


def clang_flags(command):
    """The include paths, macros and standard of a recorded compile command,
    without what is gcc's or the object's."""
    args = shlex.split(command)[1:]
    kept = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-o", "-c", "-MF", "-MT", "-MQ"):
            i += 2
            continue
        if arg in ("-I", "-isystem", "-D", "-include"):
            kept += [arg, args[i + 1]]
            i += 2
            continue
        if arg.startswith(("-I", "-D", "-std=", "-isystem")):
            kept.append(arg)
        i += 1
    return kept


def thread_safety(build_dir):
    entries = annotated_sources(compile_commands(build_dir))
    if not entries:
        sys.exit("check: no annotated source found; is ROOT right?")

    def one(entry):
        command = ["clang++", "-fsyntax-only", "-Wthread-safety",
                   "-Werror=thread-safety", "-Wno-unknown-warning-option"]
        command += clang_flags(entry["command"]) + [entry["file"]]
        done = subprocess.run(command, cwd=entry["directory"],
                              capture_output=True, text=True)
        return entry["file"], done.returncode, done.stderr

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(jobs()) as pool:
        for source, code, stderr in pool.map(one, entries):
            if code != 0:
                failed += 1
                print(f"--- {os.path.relpath(source, ROOT)}")
                print(stderr, end="")
    print(f"thread-safety: {len(entries)} sources checked, {failed} failed")
    return 1 if failed else 0


def sanitize(build_dir):
    env = dict(os.environ, UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    steps = [
        ["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja",
         "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DFIELDSYNC_SANITIZE=ON"],
        ["ninja", "-C", build_dir, f"-j{jobs()}"],
        ["ctest", "--test-dir", build_dir, "--output-on-failure",
         f"-j{jobs()}"],
    ]
    for step in steps:
        if subprocess.run(step, env=env).returncode != 0:
            return 1
    return 0


def fuzz_sources(entries):
    """tests/fuzz/'s targets, with the compile command of a parser they
    exercise: fuzz.py compiles them with clang outside CMake."""
    model = next(e for e in entries
                 if os.path.relpath(e["file"], ROOT) == "sync/cursor.cc")
    fuzz_dir = os.path.join(ROOT, "tests", "fuzz")
    flags = clang_flags(model["command"])
    return [(os.path.join(fuzz_dir, name), flags)
            for name in sorted(os.listdir(fuzz_dir))
            if name.endswith("_fuzz.cc")]


def tidy(build_dir, files, everything, timeout):
    entries = compile_commands(build_dir)
    # (source, None) reads its flags from the build; (source, flags) is given.
    if files:
        wanted = {os.path.abspath(f) for f in files}
        sources = [(e["file"], None) for e in entries if e["file"] in wanted]
        sources += [f for f in fuzz_sources(entries) if f[0] in wanted]
    else:
        sources = [(e["file"], None) for e in entries
                   if first_party(e["file"])
                   and (everything or "/tests/" not in e["file"])]
        if everything:
            sources += fuzz_sources(entries)

    def one(item):
        source, flags = item
        command = ["clang-tidy", "--quiet", "-p", build_dir, source]
        if flags is not None:
            command += ["--"] + flags
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            return source, 1, f"{source}: clang-tidy took over {timeout} s\n"
        return source, done.returncode, done.stdout

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(jobs()) as pool:
        for source, code, stdout in pool.map(one, sources):
            if code != 0 or "warning:" in stdout or "error:" in stdout:
                failed += 1
                print(stdout, end="")
    print(f"tidy: {len(sources)} sources checked, {failed} with findings")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("check", choices=["thread-safety", "sanitize", "tidy"])
    parser.add_argument("--build-dir", help="the build to read or make")
    parser.add_argument("--all", action="store_true",
                        help="tidy: tests/ and tests/fuzz/ as well")
    parser.add_argument("--timeout", type=int, default=600,
                        help="tidy: seconds one source may take")
    parser.add_argument("files", nargs="*", help="tidy: only these sources")
    # Intermixed: "tidy --build-dir b FILE..." as the usage says; plain
    # parse_args gives "tidy" the positionals and refuses the FILEs after.
    args = parser.parse_intermixed_args()
    if args.check == "thread-safety":
        return thread_safety(os.path.abspath(args.build_dir or "build"))
    if args.check == "sanitize":
        return sanitize(os.path.abspath(args.build_dir or "build-asan"))
    return tidy(os.path.abspath(args.build_dir or "build"), args.files,
                args.all, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
