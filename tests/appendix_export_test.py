#!/usr/bin/python3
"""`fieldsync admin export appendix` against the real server, checked the way
a person would: the HTML opened in a real browser, the CSV read back as a
spreadsheet program would.

    tests/appendix_export_test.py SERVER_BINARY CLI_BINARY DATA_DIR OUT_DIR

- A model is renamed through the CLI and one created through the admin API
  first, so the export must come from the live catalogue, not from the JSON
  the server was seeded with.
- The HTML is opened in headless Chromium (Debian's `chromium`, installed by
  scripts/install-deps.sh): in the DOM Chromium built, every catalogue model
  of DATA_DIR/catalogue.json appears with its Vietnamese name intact (NFC);
  printed, the pages are A4 landscape; a screenshot is left in OUT_DIR for a
  person to look at (appendix-2021.png), with the HTML and the PDF.
- The CSV is read back with Python's csv module: UTF-8 with BOM, CRLF, every
  field quoted, and row for row equal to the export's JSON (the same call's
  `--json`) and to the live catalogue (`fieldsync models list --json`).
- Bad input (year, format, --out) is refused naming the option and the value,
  and nothing is written.

Started by ctest (tests/CMakeLists.txt). Chromium missing is a failure, never
a skip.
"""
import csv
import html.parser
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import unittest

import grpc

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(ROOT / "examples" / "python"))
import admin_example  # noqa: E402  (found through the path set just above)
sys.path.insert(0, str(ROOT / "tests" / "support"))
from server_process import Server  # noqa: E402  (tests/support/server_process.py)

SERVER, CLI, DATA_DIR, OUT_DIR = (None,) * 4  # from argv in __main__
YEAR = "2021"
RENAMED_ID = "huyen-tp-sa-dec-05"
NEW_NAME = "Mô hình Hội quán nông dân “Cùng nhau làm giàu” (đổi tên)"
# Created through AdminService.CreateModel: in no printed appendix.
CREATED_ID = "huyen-tp-sa-dec-90"
CREATED_NAME = "Mô hình Tổ nhân dân tự quản"
VIETNAMESE = {"LANG": "vi_VN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
CSV_HEADER = [
    "Phụ lục", "Mục", "Tên mục", "STT", "Tên mô hình",
    "Đơn vị/ địa bàn thực hiện", "(1) Bối cảnh xây dựng mô hình",
    "(2) Kết quả nổi bật của mô hình",
    "(3) Những vấn đề đặt ra qua thực tiễn triển khai",
    "(4) Phương án thực hiện trong giai đoạn 2021–2025",
    "Kiến nghị đối với UBND Tỉnh", "Số liệu báo cáo năm " + YEAR, "Mã mô hình"]
DETAILED = ["context", "results", "issues", "plan_2021_2025",
            "recommendation"]


def squeeze(text):
    """Whitespace runs (line breaks included) as one space."""
    return " ".join(text.split())

class DomText(html.parser.HTMLParser):
    """The text of a DOM as a reader sees it: <br> is a line break, style
    and script are not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("style", "script"):
            self.skip += 1
        elif tag in ("td", "th", "div", "p", "h1", "tr"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self):
        return "".join(self.parts)


class AppendixExportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.chromium = shutil.which("chromium")
        cls.temp = tempfile.TemporaryDirectory(prefix="fs-appendix-")
        data = pathlib.Path(cls.temp.name) / "data"
        cls.server = Server(SERVER, str(data))
        try:
            cls.prepare(data)
        except BaseException:
            cls.tearDownClass()  # unittest skips it when setUpClass fails
            raise

    @classmethod
    def prepare(cls, data):
        cls.secret_file = str(data / "admin-secret")
        cls.out = pathlib.Path(OUT_DIR).resolve()
        cls.out.mkdir(parents=True, exist_ok=True)
        cls.catalogue = json.loads(
            (pathlib.Path(DATA_DIR) / "catalogue.json").read_text("utf-8"))
        # Edited through the live API before the export.
        cls.cli_ok("admin", "models", "update", RENAMED_ID,
                   "--set", "name=" + NEW_NAME)
        cls.create_model(data.parent / "stubs")
        cls.html_path = cls.out / ("appendix-%s.html" % YEAR)
        cls.csv_path = cls.out / ("appendix-%s.csv" % YEAR)
        for path in (cls.html_path, cls.csv_path):
            if path.exists():
                path.unlink()
        cls.cli_ok("admin", "export", "appendix", "--year", YEAR,
                   "--format", "html", "--out", str(cls.html_path))
        cls.live = json.loads(cls.cli_ok(
            "--json", "admin", "export", "appendix", "--year", YEAR,
            "--format", "csv", "--out", str(cls.csv_path)))
        cls.models = {m["id"]: m for m in json.loads(
            cls.cli_ok("--json", "models", "list"))["models"]}

    @classmethod
    def create_model(cls, stubs_dir):
        """A district model added after the report, through the admin API
        from Python (examples/python's generated stubs)."""
        stubs_dir.mkdir()
        p = admin_example.Protos(stubs_dir)
        request = p.admin_service.CreateModelRequest()
        model = request.model
        model.id = CREATED_ID
        model.level = p.catalogue.MODEL_LEVEL_DISTRICT
        model.kind = p.catalogue.MODEL_KIND_MODEL
        model.status = p.catalogue.MODEL_STATUS_NEW
        model.owner_area_id = "tp-sa-dec"
        model.name = CREATED_NAME
        model.implementer = "Công an Thành phố Sa Đéc"
        secret = pathlib.Path(cls.secret_file).read_text().strip()
        with grpc.insecure_channel(cls.server.address) as channel:
            p.admin_grpc.AdminServiceStub(channel).CreateModel(
                request, metadata=[("authorization", "Bearer " + secret)],
                timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.temp.cleanup()

    @classmethod
    def cli(cls, *args, env=None):
        environment = dict(os.environ, FIELDSYNC_SECRET_FILE=cls.secret_file)
        environment.update(env or VIETNAMESE)
        return subprocess.run(
            [CLI, "--server", cls.server.address] + list(args),
            capture_output=True, text=True, env=environment, timeout=120)

    @classmethod
    def cli_ok(cls, *args):
        run = cls.cli(*args)
        if run.returncode != 0:
            raise AssertionError("fieldsync %s failed (%d):\n%s%s" % (
                " ".join(args), run.returncode, run.stdout, run.stderr))
        return run.stdout

    def run_chromium(self, *args):
        self.assertIsNotNone(
            self.chromium,
            "chromium is missing: run scripts/install-deps.sh (Debian's "
            "chromium package); this test never skips")
        with tempfile.TemporaryDirectory(prefix="fs-chromium-") as profile:
            run = subprocess.run(
                [self.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-quic", "--no-first-run",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + profile] + list(args) +
                [self.html_path.as_uri()],
                capture_output=True, timeout=180)
        self.assertEqual(run.returncode, 0, run.stderr.decode()[-2000:])
        return run.stdout.decode("utf-8")

    def test_every_model_in_the_browsers_dom_with_its_vietnamese_name(self):
        dom = self.run_chromium("--dump-dom")
        parser = DomText()
        parser.feed(dom)
        text = squeeze(unicodedata.normalize("NFC", parser.text()))
        self.assertEqual(text, squeeze(parser.text()), "DOM text is not NFC")
        self.assertEqual(len(self.catalogue["models"]), 147)
        for model in self.catalogue["models"]:
            name = model["name"] if model["id"] != RENAMED_ID else NEW_NAME
            self.assertEqual(unicodedata.normalize("NFC", name), name)
            self.assertIn(squeeze(name), text, model["id"])
        self.assertIn(CREATED_NAME, text)
        rows = set(re.findall(r'<tr data-model="([^"]+)"', dom))
        self.assertEqual(rows, {m["id"] for m in self.catalogue["models"]} |
                         {CREATED_ID})
        for heading in ("PHỤ LỤC I", "PHỤ LỤC V", "PHỤ LỤC VI", "STT",
                        "CÁC MÔ HÌNH BỔ SUNG SAU BÁO CÁO",
                        "Tên mô hình", "Kiến nghị đối với UBND Tỉnh",
                        "Thành phố Sa Đéc", "Số liệu báo cáo năm " + YEAR):
            self.assertIn(heading, text)

    def test_screenshot_and_a4_landscape_print(self):
        png = self.out / ("appendix-%s.png" % YEAR)
        pdf = self.out / ("appendix-%s.pdf" % YEAR)
        for path in (png, pdf):
            if path.exists():
                path.unlink()
        self.run_chromium("--screenshot=" + str(png),
                          "--window-size=1500,1000",
                          "--hide-scrollbars")
        self.assertGreater(png.stat().st_size, 10000)
        self.assertEqual(png.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
        self.run_chromium("--print-to-pdf=" + str(pdf),
                          "--no-pdf-header-footer")
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]",
                           pdf.read_bytes())
        self.assertGreater(len(boxes), 6, "one page per appendix at least")
        for width, height in boxes:  # A4 landscape: 842 x 595 points
            self.assertAlmostEqual(float(width), 842, delta=2)
            self.assertAlmostEqual(float(height), 595, delta=2)
        print("\nscreenshot: %s\nprinted: %s (%d pages)" %
              (png, pdf, len(boxes)))

    def test_csv_reads_back_equal_to_the_live_data(self):
        raw = self.csv_path.read_bytes()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM")
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        # Written back the way the file claims to be written, it is the file.
        again = io.StringIO()
        csv.writer(again, quoting=csv.QUOTE_ALL,
                   lineterminator="\r\n").writerows(rows)
        self.assertEqual(again.getvalue(), text)
        self.assertNotIn("\r\n", text.replace('\r\n"', "").replace(
            '"\r\n', ""), "a record break outside the quotes' ends")

        self.assertEqual(rows[0], CSV_HEADER)
        body = rows[1:]
        live_rows = self.live["rows"]
        self.assertEqual(len(body), len(live_rows))
        titles = {(t.get("appendix", ""), s.get("roman", "")): s["title"]
                  for t in self.live["tables"] for s in t["sections"]}
        for row, live in zip(body, live_rows):
            key = (live.get("appendix", ""), live.get("section", ""))
            want = [key[0], key[1], titles[key], live.get("stt", ""),
                    live["name"], live.get("implementer", "")]
            want += [live.get(field, "") for field in DETAILED]
            self.assertEqual(row[:11], want, live["model_id"])
            self.assertEqual(row[12], live["model_id"])
            for figure in live.get("figures", []):
                self.assertIn(figure["indicator"] + ": ", row[11])
            if not live.get("figures"):
                self.assertEqual(row[11], "")

        # And the live catalogue: every model, by its current name and
        # implementer; the detailed columns in the detailed appendices.
        by_id = {}
        for row in body:
            by_id.setdefault(row[12], []).append(row)
        self.assertEqual(set(by_id), set(self.models))
        for model_id, model in self.models.items():
            for row in by_id[model_id]:
                self.assertEqual(row[4], model["name"])
                self.assertEqual(row[5], model.get("implementer", ""))
                if row[0] in ("IV", "V", "VI"):
                    self.assertEqual(row[6:11],
                                     [model.get(f, "") for f in DETAILED])
        self.assertEqual(by_id[RENAMED_ID][0][4], NEW_NAME)
        self.assertEqual([r[:5] for r in by_id[CREATED_ID]],
                         [["", "I", "Thành phố Sa Đéc", "1", CREATED_NAME]])
        self.assertEqual(body[-1][12], CREATED_ID)  # the last table's
        # The Sa Đéc field reports loaded on first start are 2021's figures.
        self.assertIn("members: ", by_id[RENAMED_ID][0][11])

    def test_bad_input_is_refused_naming_the_option_and_nothing_written(self):
        target = self.out / "refused.csv"
        if target.exists():
            target.unlink()
        cases = [
            (["--year", "1999", "--format", "csv", "--out", str(target)],
             1, ["year", "1999"]),
            (["--year", "2999", "--format", "csv", "--out", str(target)],
             1, ["year", "2999"]),
            (["--year", "hai nghìn", "--format", "csv", "--out",
              str(target)], 2, ["--year", "hai nghìn"]),
            (["--year", YEAR, "--format", "pdf", "--out", str(target)],
             2, ["--format", "pdf"]),
            (["--year", YEAR, "--format", "csv", "--out",
              "/khong-co/thu-muc/phu-luc.csv"],
             2, ["--out", "/khong-co/thu-muc/phu-luc.csv"]),
            (["--year", YEAR, "--format", "html", "--out", str(self.out)],
             2, ["--out", str(self.out)]),
        ]
        for args, code, named in cases:
            for env in (ENGLISH, VIETNAMESE):
                run = self.cli("admin", "export", "appendix", *args, env=env)
                self.assertEqual(run.returncode, code, (args, run.stderr))
                for part in named:
                    self.assertIn(part, run.stderr, args)
                self.assertFalse(target.exists(), args)

    def test_help_describes_the_command_in_both_languages(self):
        english = self.cli("admin", "export", "appendix", "--help",
                           env=ENGLISH)
        self.assertEqual(english.returncode, 0)
        for part in ("Phụ lục I–VI", "--year", "--format", "--out",
                     "A4 landscape", "csv or html"):
            self.assertIn(part, english.stdout)
        vietnamese = self.cli("admin", "export", "appendix", "--help")
        for part in ("Phụ lục I–VI", "khổ A4 ngang", "csv hoặc html"):
            self.assertIn(part, vietnamese.stdout)


if __name__ == "__main__":
    SERVER, CLI, DATA_DIR, OUT_DIR = sys.argv[1:5]
    unittest.main(argv=sys.argv[:1], verbosity=2)
