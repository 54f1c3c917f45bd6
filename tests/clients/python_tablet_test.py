#!/usr/bin/python3
"""docs/sync-protocol.md tested by a second implementation: the Python tablet
of tests/clients/protocol_tablet.py (written from that page and proto/ only)
against the real server. Push and the sequence rules, FieldSet values byte
for byte, pull with page checksums and a saved cursor, a conflict, a batch
sent again, and a tablet restored from an older copy.

    /usr/bin/python3 tests/clients/python_tablet_test.py build/server/fieldsync-server

Started by ctest (tests/CMakeLists.txt) with Debian's Python, which is the one
that sees python3-grpcio. Pages are plain: python3-zstandard is not a
dependency, so the tablet never asks for zstd. Nothing is skipped.
"""
import importlib
import pathlib
import sys
import tempfile
import unittest

import grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(ROOT / "examples" / "python"))
import admin_example  # noqa: E402  (found through the path set just above)
sys.path.insert(0, str(ROOT / "tests" / "support"))
from server_process import Server  # noqa: E402  (tests/support/server_process.py)
sys.path.insert(0, str(ROOT / "tests" / "clients"))
import protocol_tablet  # noqa: E402
from protocol_tablet import Tablet, field_value  # noqa: E402

SERVER_BINARY = None  # set from argv in __main__
COMMUNE = "xa-tan-khanh-dong"
MODEL_ID = "huyen-tp-sa-dec-05"
PAGE_BYTES = 4096  # small pages, so a bootstrap takes many

# docs/sync-protocol.md, "FieldSet.value" and "The page checksum", verbatim.
RESULTS_TOT = bytes.fromhex("32 05 54 e1 bb 91 74")
MEMBERS_59_HO = bytes.fromhex(
    "2a 1a 0a 07 6d 65 6d 62 65 72 73 12 0f"
    " 09 00 00 00 00 00 80 4d 40 12 04 68 e1 bb 99")
VECTOR_KEY = "report/xa-tan-khanh-dong.huyen-tp-sa-dec-05.2021"
VECTOR_ONCE = 0x66E9E30F
VECTOR_TWICE = 0x914D468C

P = None  # the generated modules, from setUpModule
STUBS = None  # their temporary folder


def setUpModule():
    global P, STUBS
    STUBS = tempfile.TemporaryDirectory(prefix="fs-python-tablet-stubs-")
    P = admin_example.Protos(pathlib.Path(STUBS.name))
    for name in ("sync", "document", "report", "device", "authority",
                 "replication"):
        setattr(P, name, importlib.import_module(f"fieldsync.v1.{name}_pb2"))


def tearDownModule():
    STUBS.cleanup()


def report_value(path, value):
    return field_value(P.report.Report, path, value)


def outcome(result):
    return P.sync.MutationOutcome.Name(result.outcome)


class ChecksumAndValuesTest(unittest.TestCase):
    """The page's byte-level claims, without a server."""

    def vector_document(self):
        return P.document.Document(
            key=VECTOR_KEY, version=7,
            report=P.report.Report(id=VECTOR_KEY.split("/", 1)[1],
                                   results="Tốt"))

    def test_checksum_test_vector(self):
        raw = self.vector_document().SerializeToString()
        self.assertEqual(len(raw), 104)
        self.assertEqual(raw[:4], bytes.fromhex("0a 30 72 65"))
        self.assertEqual(raw[-7:], RESULTS_TOT)
        self.assertEqual(protocol_tablet.page_checksum([raw]), VECTOR_ONCE)
        self.assertEqual(protocol_tablet.page_checksum([raw, raw]),
                         VECTOR_TWICE)
        self.assertEqual(protocol_tablet.page_checksum([]), 0)

    def test_field_values_are_the_pages_bytes(self):
        self.assertEqual(report_value("results", "Tốt"), RESULTS_TOT)
        self.assertEqual(
            report_value("indicators/members",
                         P.report.Indicator(value=59, unit="hộ")),
            MEMBERS_59_HO)
        self.assertEqual(report_value("results", ""), b"")

    def test_documents_cut_from_a_page_as_sent(self):
        first = self.vector_document()
        second = P.document.Document(key="report/x", version=9)
        second.field_versions["results"] = 9
        page = P.sync.PullResponse(documents=[first, second],
                                   cursor=b"\0\0\0\0\0\0\0\x09", done=True,
                                   checksum=123, estimated_documents=2)
        self.assertEqual(
            protocol_tablet.raw_documents(page.SerializeToString()),
            [first.SerializeToString(), second.SerializeToString()])

    def test_a_page_with_a_wrong_checksum_saves_nothing(self):
        raw_document = self.vector_document().SerializeToString()
        page = P.sync.PullResponse(
            documents=[self.vector_document()], cursor=b"\0\0\0\0\0\0\0\x07",
            checksum=VECTOR_ONCE, done=True).SerializeToString()
        # The same page with one character of the document's results changed
        # ("Tốt" -> "Tốu"): it parses, and its checksum no longer matches.
        bad = page.replace(raw_document, raw_document[:-1] + b"u")
        self.assertNotEqual(bad, page)
        with tempfile.TemporaryDirectory() as folder, \
                grpc.insecure_channel("127.0.0.1:1") as channel:  # unused
            tablet = Tablet(channel, "dev-x", "fs1.dev-x.y",
                            str(pathlib.Path(folder) / "tablet.db"), P)
            with self.assertRaises(protocol_tablet.ChecksumMismatch):
                tablet.save_page(bad)
            self.assertEqual(tablet.cursor, b"")
            self.assertEqual(tablet.keys(), [])
            tablet.save_page(page)
            self.assertEqual(tablet.cursor, b"\0\0\0\0\0\0\0\x07")
            self.assertEqual(tablet.document(VECTOR_KEY).report.results,
                             "Tốt")
            tablet.close()

    def test_a_document_that_comes_again_keeps_the_higher_version(self):
        def page(version, results, cursor):
            document = P.document.Document(
                key=VECTOR_KEY, version=version,
                report=P.report.Report(results=results))
            raw = document.SerializeToString()
            return P.sync.PullResponse(
                documents=[document], cursor=cursor, done=True,
                checksum=protocol_tablet.page_checksum([raw])
            ).SerializeToString()

        with tempfile.TemporaryDirectory() as folder, \
                grpc.insecure_channel("127.0.0.1:1") as channel:  # unused
            tablet = Tablet(channel, "dev-x", "fs1.dev-x.y",
                            str(pathlib.Path(folder) / "tablet.db"), P)
            tablet.save_page(page(9, "newer", b"\x09"))
            tablet.save_page(page(7, "older", b"\x0a"))
            self.assertEqual(tablet.document(VECTOR_KEY).version, 9)
            self.assertEqual(tablet.document(VECTOR_KEY).report.results,
                             "newer")
            self.assertEqual(tablet.cursor, b"\x0a")
            tablet.save_page(page(11, "newest", b"\x0b"))
            self.assertEqual(tablet.document(VECTOR_KEY).report.results,
                             "newest")
            tablet.close()


class TabletAgainstServerTest(unittest.TestCase):
    """The Python tablet against the real server, as a commune officer."""

    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.TemporaryDirectory(prefix="fs-python-tablet-")
        cls.folder = pathlib.Path(cls.temp.name)
        data_dir = cls.folder / "data"
        cls.server = Server(SERVER_BINARY, str(data_dir))
        # The first line is the secret; a second one pins a certificate.
        secret = (data_dir / "admin-secret").read_text().splitlines()[0]
        cls.channel = grpc.insecure_channel(cls.server.address)
        cls.admin = admin_example.AdminClient(cls.channel, secret, P)
        cls.tablets = []

    @classmethod
    def tearDownClass(cls):
        for tablet in cls.tablets:
            tablet.close()
        cls.channel.close()
        try:
            cls.server.stop_cleanly()
        finally:
            cls.temp.cleanup()

    def assertAnsweredAsFirst(self, originals, duplicates):
        """Each mutation sent again is DUPLICATE and repeats its first
        answer: outcome, number, server sequence, version and reason."""
        self.assertEqual(len(duplicates), len(originals))
        for original, duplicate in zip(originals, duplicates):
            self.assertEqual(outcome(duplicate), "MUTATION_OUTCOME_DUPLICATE")
            self.assertEqual(duplicate.original_outcome, original.outcome)
            self.assertEqual(duplicate.mutation_seq, original.mutation_seq)
            self.assertEqual(duplicate.sequence, original.sequence)
            self.assertEqual(duplicate.version, original.version)
            self.assertEqual(duplicate.reason, original.reason)

    def enrol(self, name):
        """A commune officer's device, enrolled by the province admin, and
        the (device id, secret) its tablet speaks with."""
        answer = self.admin.admin.EnrollDevice(
            P.admin_service.EnrollDeviceRequest(
                name=name, role=P.device.ROLE_COMMUNE_OFFICER,
                area_id=COMMUNE),
            metadata=self.admin.metadata, timeout=30)
        self.assertTrue(answer.secret.startswith(f"fs1.{answer.device.id}."),
                        answer.secret)
        return answer.device.id, answer.secret

    def tablet(self, name, device=None, db_name=None):
        """A tablet with its own store; a new device unless one is given."""
        device_id, secret = device or self.enrol(name)
        tablet = Tablet(self.channel, device_id, secret,
                        str(self.folder / f"{db_name or name}.db"), P)
        self.tablets.append(tablet)
        return tablet

    @staticmethod
    def new_report(report_id, **fields):
        """The sets of a mutation creating report `report_id`: its area,
        model and period (from the id), and `fields`."""
        commune, model, period = report_id.split(".")
        sets = {"area_id": report_value("area_id", commune),
                "model_id": report_value("model_id", model),
                "period": report_value("period", period)}
        for path, value in fields.items():
            sets[path] = report_value(path, value)
        return sets

    def assertTaken(self, result, expected_outcome, seq):
        """Taken (its number consumed): APPLIED and MERGED carry no code,
        every other outcome one of the codes the page lists as consuming
        the number, never OUT_OF_ORDER or SEQ_REUSED."""
        self.assertEqual(outcome(result), expected_outcome, result)
        self.assertEqual(result.mutation_seq, seq, result)
        self.assertGreater(result.sequence, 0, result)
        if expected_outcome in ("MUTATION_OUTCOME_APPLIED",
                                "MUTATION_OUTCOME_MERGED"):
            self.assertEqual(result.reason_code,
                             P.sync.MUTATION_REASON_UNSPECIFIED, result)
        else:
            self.assertNotIn(result.reason_code,
                             (P.sync.MUTATION_REASON_UNSPECIFIED,
                              P.sync.MUTATION_REASON_OUT_OF_ORDER,
                              P.sync.MUTATION_REASON_SEQ_REUSED), result)

    def assertNotTaken(self, result, reason_code, seq, expected_seq):
        self.assertEqual(outcome(result), "MUTATION_OUTCOME_REJECTED", result)
        self.assertEqual(result.mutation_seq, seq, result)
        self.assertEqual(result.sequence, 0, result)
        self.assertEqual(P.sync.MutationReason.Name(result.reason_code),
                         reason_code, result)
        self.assertEqual(result.expected_seq, expected_seq, result)

    # 1. Push ---------------------------------------------------------

    def test_push_creates_a_report_numbered_from_one(self):
        tablet = self.tablet("push")
        key = f"report/{COMMUNE}.{MODEL_ID}.2031"
        self.assertEqual(tablet.next_seq, 1)
        tablet.edit(key, 0, self.new_report(key[7:], results="Tốt"))
        [answer] = tablet.push()
        [created] = answer.results
        self.assertTaken(created, "MUTATION_OUTCOME_APPLIED", 1)
        self.assertEqual(created.device_id, tablet.device_id)
        self.assertEqual(answer.summary.applied, 1)
        self.assertEqual(tablet.outbox(), [])

        # A gap is not taken: the server names the number it expects.
        ahead = tablet.edit(key, created.version,
                            {"difficulties": report_value("difficulties",
                                                          "Mưa")})
        ahead.mutation_seq = 3
        [gap] = tablet.send([ahead]).results
        self.assertNotTaken(gap, "MUTATION_REASON_OUT_OF_ORDER", 3, 2)

        # Consecutive numbers are: 2 (the outbox's), then 3.
        tablet.edit(key, created.version,
                    {"proposals": report_value("proposals", "Nhân rộng")})
        [answer] = tablet.push()
        second, third = answer.results
        self.assertTaken(second, "MUTATION_OUTCOME_APPLIED", 2)
        self.assertTaken(third, "MUTATION_OUTCOME_MERGED", 3)
        self.assertGreater(second.sequence, created.sequence)
        self.assertGreater(third.sequence, second.sequence)
        self.assertEqual(tablet.outbox(), [])
        self.assertEqual(tablet.next_seq, 4)

        tablet.pull()
        document = tablet.document(key)
        self.assertEqual(document.version, third.version)
        self.assertEqual(document.report.id, key[7:])
        self.assertEqual(document.report.area_id, COMMUNE)
        self.assertEqual(document.report.results, "Tốt")
        self.assertEqual(document.report.difficulties, "Mưa")
        self.assertEqual(document.report.proposals, "Nhân rộng")
        self.assertEqual(document.change.device_id, tablet.device_id)
        self.assertEqual(document.change.mutation_seq, 3)

    def test_field_values_as_the_page_encodes_them(self):
        tablet = self.tablet("values")
        key = f"report/{COMMUNE}.{MODEL_ID}.2032"
        sets = self.new_report(key[7:])
        # The page's bytes, verbatim, not made by a protobuf library.
        sets["results"] = RESULTS_TOT
        sets["indicators/members"] = MEMBERS_59_HO
        tablet.edit(key, 0, sets)
        [answer] = tablet.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_APPLIED", 1)
        tablet.pull()
        report = tablet.document(key).report
        self.assertEqual(report.results, "Tốt")
        self.assertEqual(list(report.indicators), ["members"])
        self.assertEqual(report.indicators["members"],
                         P.report.Indicator(value=59.0, unit="hộ"))

        # A value with another field, or the right field number with
        # another wire type, is refused with the path in `reason`; it is
        # taken all the same (its number is consumed).
        version = tablet.document(key).version
        tablet.edit(key, version,
                    {"results": report_value("difficulties", "x")})
        tablet.edit(key, version, {"results": bytes.fromhex("30 01")})
        [answer] = tablet.push()
        for seq, result in enumerate(answer.results, start=2):
            self.assertTaken(result, "MUTATION_OUTCOME_REJECTED", seq)
            self.assertIn("results", result.reason)
        self.assertEqual(tablet.outbox(), [])

        # An empty value clears the field, or removes the map entry.
        tablet.edit(key, version, {"results": b"",
                                   "indicators/members": b""})
        [answer] = tablet.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_APPLIED", 4)
        tablet.pull()
        report = tablet.document(key).report
        self.assertEqual(report.results, "")
        self.assertEqual(dict(report.indicators), {})
        self.assertEqual(report.area_id, COMMUNE)

    def test_creating_a_report_as_the_page_says(self):
        tablet = self.tablet("create")
        key = f"report/{COMMUNE}.{MODEL_ID}.2037"
        without_area = self.new_report(key[7:], results="x")
        del without_area["area_id"]
        tablet.edit(key, 0, without_area)
        tablet.edit(key, 0, self.new_report(key[7:], id=key[7:]))
        upper = f"report/{COMMUNE}.{MODEL_ID}.2037-Q1"
        tablet.edit(upper, 0, self.new_report(upper[7:]))
        tablet.edit(key, 0, self.new_report(key[7:], results="Tốt"))
        [answer] = tablet.push()
        refused = answer.results[:3]
        for seq, (result, path) in enumerate(
                zip(refused, ("area_id", '"id"', upper)), start=1):
            self.assertTaken(result, "MUTATION_OUTCOME_REJECTED", seq)
            self.assertIn(path, result.reason)
        self.assertTaken(answer.results[3], "MUTATION_OUTCOME_APPLIED", 4)
        tablet.pull()
        self.assertIsNone(tablet.document(upper))
        report = tablet.document(key).report
        self.assertEqual(report.id, key[7:], "the id comes from the key")
        self.assertEqual(report.status, P.report.REPORT_STATUS_DRAFT)
        self.assertEqual(report.results, "Tốt")

    # 2. Pull ---------------------------------------------------------

    def test_pull_saves_each_page_and_resumes_from_its_cursor(self):
        device = self.enrol("pull")
        whole = self.tablet("pull-whole", device=device)
        pages = whole.pull(max_page_bytes=PAGE_BYTES)
        self.assertGreater(pages, 4, "a bootstrap in several pages")
        keys = whole.keys()
        self.assertIn(f"area/{COMMUNE}", keys)
        self.assertIn(f"model/{MODEL_ID}", keys)
        self.assertEqual([k for k in keys if k.startswith("device/")], [],
                         "documents of kind device never come back")

        cut = self.tablet("pull-cut", device=device)
        self.assertEqual(cut.pull(max_page_bytes=PAGE_BYTES, max_pages=2), 2)
        saved_cursor = cut.cursor
        self.assertNotEqual(saved_cursor, b"")
        saved = cut.keys()
        self.assertLess(len(saved), len(keys))
        cut.close()
        # The tablet starts again from its store: the saved cursor.
        resumed = self.tablet("pull-resumed", device=device,
                              db_name="pull-cut")
        self.assertEqual(resumed.cursor, saved_cursor)
        self.assertEqual(resumed.pull(max_page_bytes=PAGE_BYTES), pages - 2)
        self.assertEqual(resumed.keys(), keys)
        for key in keys:
            self.assertEqual(resumed.document(key), whole.document(key), key)

        # Nothing new: one page, done, and the documents unchanged.
        self.assertEqual(resumed.pull(max_page_bytes=PAGE_BYTES), 1)
        self.assertEqual(resumed.keys(), keys)

    def test_a_page_with_a_bad_checksum_is_pulled_again(self):
        device = self.enrol("checksum")
        clean = self.tablet("checksum-clean", device=device)
        pages = clean.pull(max_page_bytes=PAGE_BYTES)
        seen, corrupted = [], []

        def corrupt_third_page(raw):
            # The third page as received, once, with one byte of its first
            # document's key changed (it still parses).
            seen.append(raw)
            if len(seen) != 3:
                return raw
            first = protocol_tablet.raw_documents(raw)[0]
            # Its key is field 1, a short string: 0a, length, characters.
            at = raw.index(first) + 2  # the key's first character
            bad = raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1:]
            corrupted.append(P.document.Document.FromString(
                protocol_tablet.raw_documents(bad)[0]).key)
            return bad

        tablet = self.tablet("checksum-cut", device=device)
        # Dropped, then pulled again from the second page's cursor: as many
        # pages are saved as in a clean pull.
        self.assertEqual(tablet.pull(max_page_bytes=PAGE_BYTES,
                                     page_hook=corrupt_third_page), pages)
        self.assertEqual(len(seen), pages + 1)
        # The pull again starts where the second page ended: the third page
        # once more (as the first page of a pull, it may also carry
        # estimated_documents).
        retried, third = (P.sync.PullResponse.FromString(raw)
                          for raw in (seen[3], seen[2]))
        self.assertEqual(protocol_tablet.raw_documents(seen[3]),
                         protocol_tablet.raw_documents(seen[2]))
        self.assertEqual(retried.cursor, third.cursor)
        self.assertEqual(len(corrupted), 1)
        self.assertNotIn(corrupted[0], tablet.keys())
        self.assertEqual(tablet.keys(), clean.keys())
        self.assertEqual(tablet.cursor, clean.cursor)

    # 3. A conflict ---------------------------------------------------

    def test_same_field_from_the_same_base_conflicts(self):
        first, second = self.tablet("conflict-a"), self.tablet("conflict-b")
        key = f"report/{COMMUNE}.{MODEL_ID}.2033"
        first.edit(key, 0, self.new_report(key[7:], results="Đang làm"))
        [answer] = first.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_APPLIED", 1)
        first.pull()
        second.pull()
        base = second.document(key).version
        self.assertEqual(first.document(key).version, base)

        first.edit(key, base, {"results": report_value("results", "Tốt")})
        # The second tablet claims the province's authority; the server
        # replaces it with its role's (commune), so they are equals, and the
        # value that reached the server first stays.
        second.edit(key, base, {"results": report_value("results", "Khá")},
                    authority=P.authority.AUTHORITY_PROVINCE)
        second.edit(key, base,
                    {"difficulties": report_value("difficulties", "Hạn")})
        [won] = first.push()
        self.assertTaken(won.results[0], "MUTATION_OUTCOME_APPLIED", 2)
        sent = second.outbox()
        [lost] = second.push()
        conflict, merged = lost.results
        self.assertTaken(conflict, "MUTATION_OUTCOME_CONFLICT", 1)
        self.assertEqual(conflict.reason_code,
                         P.sync.MUTATION_REASON_FIELD_CONFLICT)
        self.assertEqual(list(conflict.conflicting_paths), ["results"])
        self.assertIn("results", conflict.reason)
        self.assertNotIn("difficulties", conflict.reason)
        self.assertEqual(conflict.version, won.results[0].version)
        self.assertTaken(merged, "MUTATION_OUTCOME_MERGED", 2)
        self.assertEqual(lost.summary.conflict, 1)
        self.assertEqual(lost.summary.merged, 1)
        self.assertEqual(second.outbox(), [], "a conflict is taken")
        # Sent again (its answer lost), it is answered as it was first.
        again = second.send(sent)
        self.assertAnsweredAsFirst(lost.results, again.results)

        second.pull()
        document = second.document(key)
        self.assertEqual(document.report.results, "Tốt")
        self.assertEqual(document.report.difficulties, "Hạn")
        self.assertEqual(document.field_authorities["results"],
                         P.authority.AUTHORITY_COMMUNE)

        # The losing value is kept for review beside the base value.
        [record] = self.admin.admin.ListConflicts(
            P.admin_service.ListConflictsRequest(key=key),
            metadata=self.admin.metadata, timeout=30).conflicts
        self.assertEqual(record.kind, P.replication.CONFLICT_KIND_FIELD)
        self.assertEqual(record.device_id, second.device_id)
        self.assertEqual(record.mutation_seq, 1)
        self.assertEqual(record.base_version, base)
        self.assertEqual(record.authority, P.authority.AUTHORITY_COMMUNE)
        [value] = record.values
        self.assertEqual(value.path, "results")
        self.assertEqual(value.base_value,
                         report_value("results", "Đang làm"))
        self.assertEqual(value.current_value, report_value("results", "Tốt"))
        self.assertEqual(value.losing_value, report_value("results", "Khá"))
        self.assertFalse(value.incoming_won)

        # The first tablet set `results` last itself: its edit from the old
        # base is no conflict.
        first.edit(key, base, {"results": report_value("results", "Rất tốt")})
        [answer] = first.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_MERGED", 3)
        first.pull()
        self.assertEqual(first.document(key).report.results, "Rất tốt")

    # 4. Duplicates ---------------------------------------------------

    def test_a_batch_sent_again_is_answered_duplicate(self):
        tablet = self.tablet("duplicate")
        key = f"report/{COMMUNE}.{MODEL_ID}.2034"
        other = f"report/{COMMUNE}.{MODEL_ID}.2036"
        created = tablet.edit(key, 0, self.new_report(key[7:], results="A"))
        tablet.edit(other, 0, self.new_report(other[7:], results="B"))
        first = tablet.send(tablet.outbox())  # answer "lost": outbox kept
        self.assertTaken(first.results[0], "MUTATION_OUTCOME_APPLIED", 1)
        self.assertTaken(first.results[1], "MUTATION_OUTCOME_APPLIED", 2)
        self.assertEqual(len(tablet.outbox()), 2)

        # Device time and author do not count in "the same mutation".
        created.device_time_micros += 1
        created.author = "someone else"
        again = tablet.send([created, tablet.outbox()[1]])
        self.assertEqual(again.summary.duplicate, 2)
        self.assertAnsweredAsFirst(first.results, again.results)

        # The outbox's own push: the same answer, and the outbox empties.
        [answer] = tablet.push()
        self.assertEqual([outcome(r) for r in answer.results],
                         ["MUTATION_OUTCOME_DUPLICATE"] * 2)
        self.assertEqual(tablet.outbox(), [])

    # 5. A restored tablet --------------------------------------------

    def test_a_restored_tablet_renumbers_and_loses_no_edit(self):
        device = self.enrol("restore")
        tablet = self.tablet("restore", device=device)
        key = f"report/{COMMUNE}.{MODEL_ID}.2035"
        tablet.edit(key, 0, self.new_report(key[7:], results="Một"))
        [answer] = tablet.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_APPLIED", 1)
        tablet.pull()
        base = tablet.document(key).version
        tablet.edit(key, base, {"proposals": report_value("proposals",
                                                          "Hai")})
        # The copy the tablet is later restored from: mutation 2 still in
        # its outbox, the next number 3.
        backup = self.folder / "restore-backup.db"
        tablet.backup(backup)
        tablet.edit(key, base, {"results": report_value("results", "Ba")})
        [answer] = tablet.push()
        self.assertTaken(answer.results[0], "MUTATION_OUTCOME_APPLIED", 2)
        self.assertTaken(answer.results[1], "MUTATION_OUTCOME_MERGED", 3)
        tablet.close()

        restored = self.tablet("restored", device=device,
                               db_name="restore-backup")
        self.assertEqual(restored.next_seq, 3)
        restored.edit(key, base, {"difficulties": report_value(
            "difficulties", "Bốn")})
        restored.edit(key, base, {"indicators/members": report_value(
            "indicators/members", P.report.Indicator(value=5, unit="hộ"))})
        first, second = restored.push()
        # Mutation 2 was taken before: the same one, so DUPLICATE. Number 3
        # holds another mutation on the server: nothing more is taken, and
        # the server expects 4.
        again, reused, after = first.results
        self.assertEqual(outcome(again), "MUTATION_OUTCOME_DUPLICATE")
        self.assertEqual(again.mutation_seq, 2)
        self.assertEqual(again.original_outcome,
                         P.sync.MUTATION_OUTCOME_APPLIED)
        self.assertNotTaken(reused, "MUTATION_REASON_SEQ_REUSED", 3, 4)
        self.assertNotTaken(after, "MUTATION_REASON_OUT_OF_ORDER", 4, 4)
        # Numbered again from 4, in order, and taken.
        self.assertEqual([r.mutation_seq for r in second.results], [4, 5])
        for result in second.results:
            self.assertGreater(result.sequence, 0, result)
            self.assertIn(outcome(result), ("MUTATION_OUTCOME_APPLIED",
                                            "MUTATION_OUTCOME_MERGED"))
        self.assertEqual(restored.outbox(), [])
        self.assertEqual(restored.next_seq, 6)

        restored.pull()
        report = restored.document(key).report
        self.assertEqual(report.results, "Ba")
        self.assertEqual(report.proposals, "Hai")
        self.assertEqual(report.difficulties, "Bốn")
        self.assertEqual(report.indicators["members"],
                         P.report.Indicator(value=5, unit="hộ"))

    # Errors ----------------------------------------------------------

    def test_calls_refused_as_the_page_says(self):
        tablet = self.tablet("errors")
        with self.assertRaises(grpc.RpcError) as raised:
            list(tablet.pull_stub(P.sync.PullRequest(), metadata=tablet.metadata,
                              timeout=30))
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("protocol_version", raised.exception.details())

        someone_else = P.sync.Mutation(device_id="dev-someone-else",
                                       mutation_seq=1, key="report/x")
        with self.assertRaises(grpc.RpcError) as raised:
            tablet.send([someone_else])
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("device_id", raised.exception.details())

        stranger = Tablet(self.channel, tablet.device_id, "fs1.dev-x.wrong",
                          str(self.folder / "stranger.db"), P)
        self.tablets.append(stranger)
        with self.assertRaises(grpc.RpcError) as raised:
            stranger.pull()
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    SERVER_BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
