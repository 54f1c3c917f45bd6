#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (tests/fuzz/corpus/), committed:
inputs shaped as the server and tablets really send and store them, built
from the protos with `protoc --encode` and framed with the `zstd` tool.

  tests/fuzz/make_seeds.py
"""

import base64
import os
import shutil
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

DOCUMENT = """
key: "report/xa-tan-khanh-dong.huyen-tp-sa-dec-05.2021"
version: 7
scopes: "area/xa-tan-khanh-dong" scopes: "area/tp-sa-dec"
field_versions { key: "results" value: 7 }
report {
  id: "xa-tan-khanh-dong.huyen-tp-sa-dec-05.2021"
  model_id: "huyen-tp-sa-dec-05" area_id: "xa-tan-khanh-dong" period: "2021"
  indicators { key: "members" value { value: 59 unit: "thành viên" } }
  indicators { key: "area" value { value: 50 unit: "ha" qualifier: QUALIFIER_MORE_THAN } }
  results: "Mô hình hoạt động hiệu quả" status: REPORT_STATUS_SUBMITTED
}
"""


def encode(message, text):
    return subprocess.run(
        ["protoc", f"-I{os.path.join(ROOT, 'proto')}",
         f"--encode=fieldsync.v1.{message}",
         "fieldsync/v1/sync.proto", "fieldsync/v1/page_token.proto"],
        input=text.encode(), capture_output=True, check=True).stdout


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-1"], input=data,
                          capture_output=True, check=True).stdout


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def run(base, entries):
    out = bytearray(b"\0")
    previous = base
    for sequence, key in entries:
        out += varint(sequence - previous) + varint(len(key)) + key
        previous = sequence
    return bytes(out)


def write(target, name, data):
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    for target in ("cursor", "mutation_value", "page_documents", "page_token",
                   "scope_log_record", "server_config", "zstd_frame"):
        os.makedirs(os.path.join(CORPUS, target))
    document = encode("Document", DOCUMENT)

    for n in (0, 1, 300, 1 << 40):
        write("cursor", f"sequence-{n}", struct.pack(">Q", n))
    write("cursor", "empty", b"")

    write("zstd_frame", "document", zstd(document))
    write("zstd_frame", "empty", zstd(b""))
    write("zstd_frame", "repeated", zstd(document * 20))

    plain = encode("PullResponse", f"documents {{ {DOCUMENT} }} "
                   f"documents {{ {DOCUMENT} }} cursor: '\\000\\000\\000\\000"
                   "\\000\\000\\000\\007' done: true checksum: 12345")
    write("page_documents", "plain", plain)
    inner = encode("PullResponse", f"documents {{ {DOCUMENT} }}")
    write("page_documents", "zstd",
          encode("PullResponse", "documents_encoding: PAGE_ENCODING_ZSTD "
                 "done: true") +
          b"\x3a" + varint(len(zstd(inner))) + zstd(inner))
    write("page_documents", "last", encode("PullResponse", "done: true"))

    for after, fingerprint in (("huyen-tp-sa-dec-05", 1), ("", 0),
                               ("device-01", 0xFFFFFFFFFFFFFFFF)):
        token = encode("PageToken", f"after_id: '{after}' "
                       f"filter_fingerprint: {fingerprint}")
        text = base64.urlsafe_b64encode(token).rstrip(b"=")
        write("page_token", f"after-{after or 'start'}",
              struct.pack("<Q", fingerprint) + text)

    keys = [b"report/xa-tan-khanh-dong.huyen-tp-sa-dec-05.2021",
            b"model/huyen-tp-sa-dec-05", b"area/xa-tan-khanh-dong"]
    base = 1000
    write("scope_log_record", "run",
          struct.pack("<Q", base) +
          run(base, [(base, keys[0]), (base + 1, keys[1]),
                     (base + 400, keys[2])]))
    write("scope_log_record", "run-after-base",
          struct.pack("<Q", base) + run(base, [(base + 3, keys[0])]))
    write("scope_log_record", "old-record", struct.pack("<Q", 7) + keys[0])

    # Body type (Document's oneof: model, area, sector, report, proposal,
    # device), then the field's index, then the value (a map key first).
    report = 3
    values = {
        "report-results": (report, 5, encode("Report", "results: 'Tốt'")),
        "report-status": (report, 9,
                          encode("Report", "status: REPORT_STATUS_ACCEPTED")),
        "report-period": (report, 3, encode("Report", "period: '2021'")),
        "report-clear": (report, 5, b""),
    }
    for name, (body, field, value) in values.items():
        write("mutation_value", name, bytes([body, field]) + value)
    indicator = encode("Report", "indicators { key: 'members' value "
                       "{ value: 59 unit: 'thành viên' } }")
    write("mutation_value", "report-indicator",
          bytes([report, 4, 7]) + b"members" + indicator)
    write("mutation_value", "model-name",
          bytes([0, 1]) + encode("Model", "name: 'Cánh đồng lớn'"))

    # The shipped example, and the mistakes operators make.
    with open(os.path.join(ROOT, "deploy", "fieldsync.example.yaml"),
              "rb") as f:
        write("server_config", "example", f.read())
    write("server_config", "problems",
          b"listen: 7443\ndata-dir: x\nblock_cache_mb: lots\n"
          b"plaintext: yes\ndata_dir:\nlisten: [a, b]\n")
    write("server_config", "quoted",
          b'listen: "[::1]:0"\ndurability: relaxed\n')


if __name__ == "__main__":
    main()
