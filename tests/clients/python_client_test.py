#!/usr/bin/python3
"""The Python client example (examples/python/admin_example.py) against the
real server: list, a field-mask update, and the details of a rejected update,
decoded as any gRPC client decodes them: with messages generated from
googleapis' own google/rpc/*.proto (npm's google-proto-files in tools/, else
Debian's golang-github-gogo-googleapis-dev), not from FieldSync's protos.

    /usr/bin/python3 tests/clients/python_client_test.py build/server/fieldsync-server

Started by ctest (tests/CMakeLists.txt) with Debian's Python, which is the one
that sees python3-grpcio. Any mismatch exits non-zero; nothing is skipped.
"""
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

SERVER_BINARY = None  # set from argv in __main__
MODEL_ID = "huyen-tp-sa-dec-05"
MODELS_TOTAL = 147  # shared/data/README.md, as in tests/support/readme_counts.h
TP_SA_DEC_MODELS = 31
# googleapis' protos as published on npm (tools/package.json), which
# scripts/install-deps.sh installs; Debian's copy of the same files else.
NPM_GOOGLEAPIS = ROOT / "tools" / "node_modules" / "google-proto-files"
GOOGLEAPIS_DIR = (str(NPM_GOOGLEAPIS)
                  if (NPM_GOOGLEAPIS / "google" / "rpc" / "status.proto").exists()
                  else admin_example.GOOGLEAPIS_PROTO_DIR)

class PythonClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.TemporaryDirectory(prefix="fs-python-client-")
        data_dir = pathlib.Path(cls.temp.name) / "data"
        stubs_dir = pathlib.Path(cls.temp.name) / "stubs"
        stubs_dir.mkdir()
        cls.server = Server(SERVER_BINARY, str(data_dir))
        print(f"google/rpc protos from {GOOGLEAPIS_DIR}", file=sys.stderr)
        cls.p = admin_example.Protos(stubs_dir, googleapis_dir=GOOGLEAPIS_DIR)
        secret = (data_dir / "admin-secret").read_text().strip()
        cls.channel = grpc.insecure_channel(cls.server.address)
        cls.client = admin_example.AdminClient(cls.channel, secret, cls.p)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        try:
            cls.server.stop_cleanly()
        finally:
            cls.temp.cleanup()

    def test_lists_every_model_across_pages(self):
        models, total = self.client.list_models(page_size=20)
        self.assertEqual(total, MODELS_TOTAL)
        ids = [m.id for m in models]
        self.assertEqual(len(ids), MODELS_TOTAL)
        self.assertEqual(ids, sorted(ids), "ListModels pages in id order")

    def test_lists_models_filtered_by_area(self):
        models, total = self.client.list_models(area_id="tp-sa-dec",
                                                page_size=10)
        self.assertEqual(total, TP_SA_DEC_MODELS)
        self.assertEqual(len(models), TP_SA_DEC_MODELS)
        self.assertIn(MODEL_ID, [m.id for m in models])
        for m in models:
            self.assertEqual(m.owner_area_id, "tp-sa-dec", m.id)

    def test_update_with_mask_changes_only_that_field(self):
        before = self.client.get_model(MODEL_ID)
        new_plan = "Nhân rộng mô hình ra toàn thành phố (Python client test)."
        self.assertNotEqual(before.model.plan_2021_2025, new_plan)

        updated = self.client.update_model(MODEL_ID, before.version,
                                           ["plan_2021_2025"],
                                           plan_2021_2025=new_plan,
                                           name="not in the mask")
        self.assertGreater(updated.version, before.version)
        expected = self.p.catalogue.Model()
        expected.CopyFrom(before.model)
        expected.plan_2021_2025 = new_plan
        self.assertEqual(updated.model, expected)

        after = self.client.get_model(MODEL_ID)
        self.assertEqual(after.version, updated.version)
        self.assertEqual(after.model, expected)

    def test_rejected_update_carries_a_bad_request(self):
        before = self.client.get_model(MODEL_ID)
        with self.assertRaises(grpc.RpcError) as raised:
            self.client.update_model(MODEL_ID, before.version, ["colour"])
        error = raised.exception
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)

        status = admin_example.error_status(error, self.p)
        self.assertIsNotNone(status, "no grpc-status-details-bin trailer")
        self.assertEqual(status.DESCRIPTOR.full_name, "google.rpc.Status")
        self.assertEqual(status.code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        self.assertEqual(status.message, error.details())
        self.assertEqual([d.type_url for d in status.details],
                         ["type.googleapis.com/google.rpc.ErrorInfo",
                          "type.googleapis.com/google.rpc.BadRequest"])
        info = admin_example.error_info(status, self.p)
        self.assertIsNotNone(info)
        self.assertEqual(info.reason, "INVALID_ARGUMENT")
        self.assertEqual(info.domain, "fieldsync.v1")
        violations = admin_example.field_violations(status, self.p)
        self.assertEqual(len(violations), 1)
        self.assertEqual(violations[0].field, "update_mask.paths[0]")
        self.assertEqual(violations[0].description,
                         '"colour" is not a field of fieldsync.v1.Model')

        after = self.client.get_model(MODEL_ID)
        self.assertEqual(after.version, before.version)
        self.assertEqual(after.model, before.model)

    def test_every_refusal_says_why_as_a_code(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.client.get_model("tinh-kt-99")
        self.assertEqual(raised.exception.code(), grpc.StatusCode.NOT_FOUND)
        status = admin_example.error_status(raised.exception, self.p)
        self.assertIsNotNone(status, "no grpc-status-details-bin trailer")
        info = admin_example.error_info(status, self.p)
        self.assertIsNotNone(info)
        self.assertEqual(info.reason, "NOT_FOUND")

        # No secret at all: the reason says which refusal it is.
        anonymous = admin_example.AdminClient(self.channel, "", self.p)
        anonymous.metadata = []
        with self.assertRaises(grpc.RpcError) as raised:
            anonymous.get_model(MODEL_ID)
        self.assertEqual(raised.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)
        status = admin_example.error_status(raised.exception, self.p)
        self.assertEqual(admin_example.error_info(status, self.p).reason,
                         "SECRET_MISSING")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    SERVER_BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
