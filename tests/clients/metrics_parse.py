#!/usr/bin/python3
"""Parses scraped /metrics texts with the official Python client's parser
(Debian's python3-prometheus-client, prometheus_client.parser), the way a
Prometheus-compatible tool reads them, and prints what it read as JSON for
the C++ test that scraped them (tests/metrics_binary_test.cc):

    /usr/bin/python3 tests/clients/metrics_parse.py SCRAPE...

prints one object per file: "families" maps each family's name to its type,
"samples" each sample ('name{label="value",...}', labels sorted) to its
value. A text the parser refuses exits non-zero naming the file.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def parse(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    families = {}
    samples = {}
    for family in text_string_to_metric_families(text):
        families[family.name] = family.type
        for sample in family.samples:
            labels = ",".join(
                f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return {"families": families, "samples": samples}


def main(paths):
    parsed = []
    for path in paths:
        try:
            parsed.append(parse(path))
        except Exception as e:  # the parser's ValueError and the like
            print(f"{path}: does not parse: {e!r}", file=sys.stderr)
            return 1
    json.dump(parsed, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main(sys.argv[1:]))
