#!/usr/bin/python3
"""The Python clients over TLS to the real server with a certificate it made
itself (fieldsync-server --tls-self-signed, what scripts/serve.sh does off
loopback), pinned by the SHA-256 that the admin secret file and a device's
enrolment carry (examples/python/pinned_tls.py): the admin client and the
tablet of protocol_tablet.py push and pull with the right pin, and a wrong
pin is refused before anything is sent.

    /usr/bin/python3 tests/clients/python_tls_test.py build/server/fieldsync-server

Started by ctest (tests/CMakeLists.txt) with Debian's Python, which is the one
that sees python3-grpcio. Nothing is skipped.
"""
import hashlib
import importlib
import pathlib
import ssl
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(ROOT / "examples" / "python"))
import admin_example  # noqa: E402  (found through the path set just above)
import pinned_tls  # noqa: E402
sys.path.insert(0, str(ROOT / "tests" / "support"))
from server_process import Server  # noqa: E402  (tests/support/server_process.py)
sys.path.insert(0, str(ROOT / "tests" / "clients"))
from protocol_tablet import Tablet, field_value  # noqa: E402

SERVER_BINARY = None  # set from argv in __main__
COMMUNE = "xa-tan-khanh-dong"
MODEL_ID = "huyen-tp-sa-dec-05"

P = None  # the generated modules, from setUpModule
STUBS = None  # their temporary folder


def setUpModule():
    global P, STUBS
    STUBS = tempfile.TemporaryDirectory(prefix="fs-python-tls-stubs-")
    P = admin_example.Protos(pathlib.Path(STUBS.name))
    for name in ("sync", "document", "report", "device"):
        setattr(P, name, importlib.import_module(f"fieldsync.v1.{name}_pb2"))


def tearDownModule():
    STUBS.cleanup()


def another_pin(pin):
    """`pin` with its first digit changed: a certificate the server does not
    have."""
    return ("0" if pin[0] != "0" else "1") + pin[1:]


class PinnedTlsTest(unittest.TestCase):
    """The clients against a server with a self-signed certificate."""

    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.TemporaryDirectory(prefix="fs-python-tls-")
        cls.folder = pathlib.Path(cls.temp.name)
        cls.data_dir = cls.folder / "data"
        cls.server = Server(SERVER_BINARY, str(cls.data_dir), self_signed=True)
        cls.secret, cls.pin = pinned_tls.read_secret_file(
            cls.data_dir / "admin-secret")
        cls.channel = pinned_tls.pinned_channel(cls.server.address, cls.pin)
        cls.admin = admin_example.AdminClient(cls.channel, cls.secret, P)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        try:
            cls.server.stop_cleanly()
        finally:
            cls.temp.cleanup()

    def enrolment_file(self, name):
        """A commune officer's device enrolled by the province admin over
        the pinned channel, and the path of its secret file, written as
        the enrolment QR code reads (client-sdk/secret_file.h)."""
        answer = self.admin.admin.EnrollDevice(
            P.admin_service.EnrollDeviceRequest(
                name=name, role=P.device.ROLE_COMMUNE_OFFICER,
                area_id=COMMUNE),
            metadata=self.admin.metadata, timeout=30)
        self.assertEqual(answer.server_certificate_sha256, self.pin)
        path = self.folder / f"{name}-secret"
        path.write_text(f"{answer.secret}\n{pinned_tls.PIN_LABEL}"
                        f" {answer.server_certificate_sha256}\n")
        return answer.device.id, path

    def test_the_secret_file_pins_the_certificate_served(self):
        self.assertIsNotNone(self.pin, "no pin line in the admin secret file")
        self.assertEqual(self.pin, self.server.sha256)
        pem = (self.data_dir / "tls" / "server.pem").read_text()
        self.assertEqual(
            hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest(),
            self.pin)
        served = pinned_tls.server_certificate(self.server.address)
        self.assertEqual(hashlib.sha256(served).hexdigest(), self.pin)
        self.assertIn("localhost", pinned_tls.certificate_dns_names(served))

    def test_the_admin_client_reads_over_the_pinned_channel(self):
        current = self.admin.get_model(MODEL_ID)
        self.assertEqual(current.model.id, MODEL_ID)
        models, total = self.admin.list_models(area_id="tp-sa-dec")
        self.assertEqual(len(models), total)
        self.assertGreater(total, 0)

    def test_a_tablet_with_the_right_pin_pushes_and_pulls(self):
        device_id, path = self.enrolment_file("tls-tablet")
        secret, pin = pinned_tls.read_secret_file(path)
        self.assertEqual(pin, self.pin)
        key = f"report/{COMMUNE}.{MODEL_ID}.2031"
        with pinned_tls.pinned_channel(self.server.address, pin) as channel:
            tablet = Tablet(channel, device_id, secret,
                            str(self.folder / "tls-tablet.db"), P)
            try:
                sets = {path: field_value(P.report.Report, path, value)
                        for path, value in (("area_id", COMMUNE),
                                            ("model_id", MODEL_ID),
                                            ("period", "2031"),
                                            ("results", "Qua TLS"))}
                tablet.edit(key, 0, sets)
                [answer] = tablet.push()
                [created] = answer.results
                self.assertEqual(
                    P.sync.MutationOutcome.Name(created.outcome),
                    "MUTATION_OUTCOME_APPLIED", created)
                self.assertEqual(tablet.outbox(), [])

                self.assertGreater(tablet.pull(), 0)
                document = tablet.document(key)
                self.assertIsNotNone(document, "the report was not pulled")
                self.assertEqual(document.version, created.version)
                self.assertEqual(document.report.results, "Qua TLS")
                self.assertIsNotNone(tablet.document(f"model/{MODEL_ID}"))
            finally:
                tablet.close()

    def test_a_wrong_pin_is_refused_before_anything_is_sent(self):
        wrong = another_pin(self.pin)
        with self.assertRaises(pinned_tls.CertificatePinMismatch) as raised:
            pinned_tls.pinned_channel(self.server.address, wrong)
        message = str(raised.exception)
        self.assertIn(self.server.address, message)
        self.assertIn(f"has SHA-256 {self.pin}", message)
        self.assertIn(f"not the pinned {wrong}", message)

    def test_a_malformed_pin_line_is_refused(self):
        with self.assertRaises(ValueError) as raised:
            pinned_tls.parse_secret_text(
                f"{self.secret}\n{pinned_tls.PIN_LABEL} abc\n")
        self.assertIn(pinned_tls.PIN_LABEL, str(raised.exception))
        self.assertEqual(pinned_tls.parse_secret_text(f"{self.secret}\n"),
                         (self.secret, None))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    SERVER_BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
