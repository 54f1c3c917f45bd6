#!/usr/bin/env python3
"""Checks deploy/ in the test command, since no container engine or systemd
runs here (issue 18):

  tests/deploy_check.py SOURCE_DIR SERVER_BINARY CLI_BINARY

- deploy/Dockerfile: a Debian 12 base pinned by tag in every stage; the run
  stage installs, with --no-install-recommends, the Debian package of every
  shared library the two built binaries load (read with ldd and dpkg -S, so
  a new dependency cannot be forgotten); it runs as a user other than root;
  no secret, key or certificate is copied or set in the image; the data
  folder is a volume.
- deploy/fieldsync-server.service: `systemd-analyze verify` passes (with the
  built binary in place of /usr/local/bin), and the hardening the issue asks
  for is there.
- deploy/fieldsync.container.yaml and deploy/fieldsync.example.yaml: the
  built server accepts them (--check-config).
Prints each finding; exits 1 if there is any.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

FINDINGS = []


def finding(text):
    FINDINGS.append(text)
    print(f"deploy: {text}")


def stages(dockerfile_text):
    """The Dockerfile's stages: (FROM line, [instruction lines])."""
    lines = []
    pending = ""
    for raw in dockerfile_text.splitlines():
        if raw.lstrip().startswith("#") and not pending:
            continue
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        line = (pending + raw).strip()
        pending = ""
        if line:
            lines.append(line)
    out = []
    for line in lines:
        if line.upper().startswith("FROM "):
            out.append((line, []))
        elif out:
            out[-1][1].append(line)
    return out


def packages_of(binaries):
    """Debian packages that provide the shared libraries `binaries` load."""
    paths = set()
    for binary in binaries:
        ldd = subprocess.run(["ldd", binary], capture_output=True, text=True,
                             check=True).stdout
        paths |= {os.path.realpath(m.group(1))
                  for m in re.finditer(r"=> (\S+) \(", ldd)}
    # dpkg knows a library by the path its package installed, which on a
    # merged /usr may be /lib/... for a file found in /usr/lib/...; one
    # dpkg call for all of them (it answers for those it knows).
    asked = {}
    for path in paths:
        asked[path] = path
        asked[path.replace("/usr/lib/", "/lib/", 1)] = path
    done = subprocess.run(["dpkg", "-S", *sorted(asked)], capture_output=True,
                          text=True)
    packages = set()
    owned = set()
    for line in done.stdout.splitlines():
        owner, _, file = line.partition(": ")
        if file in asked:
            packages.add(owner.split(":")[0])
            owned.add(asked[file])
    for path in sorted(paths - owned):
        finding(f"the binaries load {path}, which no Debian package provides")
    return packages


def check_dockerfile(source, binaries):
    path = os.path.join(source, "deploy", "Dockerfile")
    text = open(path, encoding="utf-8").read()
    found = stages(text)
    if len(found) < 2:
        finding("Dockerfile: a build stage and a run stage expected")
        return
    for from_line, _ in found:
        image = from_line.split()[1]
        if not re.fullmatch(r"debian:(12|bookworm)(-slim)?(@sha256:[0-9a-f]{64})?",
                            image):
            finding(f"Dockerfile: base image {image} is not Debian 12 pinned "
                    "by tag")
    run_from, run = found[-1]
    users = [line.split(None, 1)[1].strip() for line in run
             if line.upper().startswith("USER ")]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        finding("Dockerfile: the run stage must end as a user other than root")
    if not any(line.upper().startswith("VOLUME ") and "/var/lib/fieldsync"
               in line for line in run):
        finding("Dockerfile: /var/lib/fieldsync is not a volume")
    installed = set()
    for line in run:
        if line.upper().startswith("RUN ") and "apt-get install" in line:
            if "--no-install-recommends" not in line:
                finding("Dockerfile: apt-get install without "
                        "--no-install-recommends")
            words = line.split("apt-get install", 1)[1].split("&&")[0].split()
            installed |= {w for w in words if not w.startswith("-")}
    for package in sorted(packages_of(binaries) - installed):
        finding(f"Dockerfile: the run stage lacks {package}, whose library "
                "the binaries load")
    # No secret in the image: nothing copied that looks like one, no
    # variable or argument that holds one.
    for _, lines in found:
        for line in lines:
            word = line.split()[0].upper()
            if word in ("COPY", "ADD") and re.search(
                    r"(\.key|\.pem|\.p12|\.env|admin-secret|secret)\b",
                    line, re.IGNORECASE):
                finding(f"Dockerfile: copies what may be a secret: {line}")
            if word in ("ENV", "ARG") and re.search(
                    r"(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|_KEY)\b", line,
                    re.IGNORECASE):
                finding(f"Dockerfile: a secret in the image: {line}")


REQUIRED_UNIT_SETTINGS = [
    "UMask=0077", "StateDirectoryMode=0700", "NoNewPrivileges=true",
    "ProtectSystem=strict", "ProtectHome=true", "PrivateTmp=true",
    "CapabilityBoundingSet=", "User=fieldsync",
]


def check_unit(source, server):
    path = os.path.join(source, "deploy", "fieldsync-server.service")
    text = open(path, encoding="utf-8").read()
    lines = {line.strip() for line in text.splitlines()}
    for setting in REQUIRED_UNIT_SETTINGS:
        if setting not in lines:
            finding(f"fieldsync-server.service: {setting} missing")
    if "--dev-device-header" in text.replace("no --dev-device-header", ""):
        finding("fieldsync-server.service: runs in development mode")
    systemd_analyze = shutil.which("systemd-analyze")
    if systemd_analyze is None:
        finding("systemd-analyze is missing (scripts/install-deps.sh)")
        return
    with tempfile.TemporaryDirectory() as scratch:
        unit = os.path.join(scratch, "fieldsync-server.service")
        with open(unit, "w", encoding="utf-8") as out:
            out.write(text.replace("/usr/local/bin/fieldsync-server", server))
        done = subprocess.run([systemd_analyze, "verify", "--man=no", unit],
                              capture_output=True, text=True)
        if done.returncode != 0 or done.stderr.strip():
            finding("systemd-analyze verify: " +
                    (done.stderr.strip() or f"exit {done.returncode}"))


def check_configs(source, server):
    for name in ("fieldsync.container.yaml", "fieldsync.example.yaml"):
        path = os.path.join(source, "deploy", name)
        # The example's TLS files need not exist for its keys to be valid;
        # --check-config reads the file only.
        done = subprocess.run([server, "--check-config", path],
                              capture_output=True, text=True)
        if done.returncode != 0:
            finding(f"{name}: --check-config exit {done.returncode}: "
                    f"{done.stdout}{done.stderr}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, server, cli = (os.path.abspath(a) for a in sys.argv[1:])
    check_dockerfile(source, [server, cli])
    check_unit(source, server)
    check_configs(source, server)
    if FINDINGS:
        print(f"deploy: {len(FINDINGS)} finding(s)")
        return 1
    print("deploy: Dockerfile, systemd unit and configs checked, no finding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
