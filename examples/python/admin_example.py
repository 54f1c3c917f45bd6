#!/usr/bin/python3
"""FieldSync's admin API from Python, with Debian's python3-grpcio.

    apt-get install python3-grpcio python3-protobuf \\
        protobuf-compiler protobuf-compiler-grpc libprotobuf-dev \\
        golang-github-gogo-googleapis-dev
    /usr/bin/python3 examples/python/admin_example.py \\
        --address 127.0.0.1:7443 --secret-file fieldsync-data/admin-secret

It lists the district models of TP Sa Đéc, changes one model's plan with a
field mask, then sends a mask naming a field that does not exist and prints
the error details the server sends back. Address and secret file may also
come from FIELDSYNC_ADDRESS and FIELDSYNC_SECRET_FILE.

The Python code for the messages and stubs is generated from proto/ when the
script starts (protoc with grpc_python_plugin, into a temporary folder):
nothing generated is kept in the repository. The error details are
googleapis' own google.rpc messages (Status, ErrorInfo, BadRequest),
generated from googleapis' google/rpc/*.proto, as every gRPC library reads
them: Debian's golang-github-gogo-googleapis-dev ships those files as they
are (apt-get install it too), or pass another copy with --googleapis.

The transport follows the secret file: plaintext, as a server started with
--plaintext speaks (on loopback only), unless the file carries a
"server-certificate-sha256" line, as it does when the server made its own
certificate (--tls-self-signed, scripts/serve.sh on a LAN address); then TLS
that trusts that certificate alone (pinned_tls.py). A server with a
CA-signed certificate takes
grpc.secure_channel(address, grpc.ssl_channel_credentials(ca_pem)).

Use /usr/bin/python3: Debian's grpcio is installed for Debian's Python.
"""
import argparse
import importlib
import os
import pathlib
import subprocess
import sys
import tempfile

import grpc

import pinned_tls  # beside this file

PROTO_DIR = pathlib.Path(__file__).resolve().parents[2] / "proto"
# Where libprotobuf-dev puts google/protobuf/field_mask.proto and any.proto.
WELL_KNOWN_PROTO_DIR = "/usr/include"
# Where golang-github-gogo-googleapis-dev puts googleapis' google/rpc/*.proto.
GOOGLEAPIS_PROTO_DIR = "/usr/share/gocode/src/github.com/gogo/googleapis"
GOOGLE_RPC_PROTOS = ("google/rpc/status.proto", "google/rpc/error_details.proto")
# The trailer that carries a failed call's serialized google.rpc.Status.
STATUS_DETAILS_KEY = "grpc-status-details-bin"
# ErrorInfo.domain of FieldSync's reasons.
ERROR_DOMAIN = "fieldsync.v1"


class Protos:
    """The generated modules this example uses, as p.catalogue_service..."""

    def __init__(self, out_dir, proto_dir=PROTO_DIR,
                 googleapis_dir=GOOGLEAPIS_PROTO_DIR):
        files = sorted(str(p) for p in pathlib.Path(proto_dir).rglob("*.proto"))
        subprocess.run(
            ["protoc", f"-I{proto_dir}", f"-I{WELL_KNOWN_PROTO_DIR}",
             f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
             "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
             *files],
            check=True)
        # googleapis' messages on their own: FieldSync's protos do not
        # import them.
        subprocess.run(
            ["protoc", f"-I{googleapis_dir}", f"-I{WELL_KNOWN_PROTO_DIR}",
             f"--python_out={out_dir}", *GOOGLE_RPC_PROTOS],
            check=True)
        sys.path.insert(0, str(out_dir))
        v1 = "fieldsync.v1."
        self.catalogue = importlib.import_module(v1 + "catalogue_pb2")
        self.catalogue_service = importlib.import_module(
            v1 + "catalogue_service_pb2")
        self.catalogue_grpc = importlib.import_module(
            v1 + "catalogue_service_pb2_grpc")
        self.admin_service = importlib.import_module(v1 + "admin_service_pb2")
        self.admin_grpc = importlib.import_module(
            v1 + "admin_service_pb2_grpc")
        # google.rpc, a namespace package beside Debian's google.protobuf.
        self.rpc_status = importlib.import_module("google.rpc.status_pb2")
        self.error_details = importlib.import_module(
            "google.rpc.error_details_pb2")


class AdminClient:
    """A province admin's calls, each with the bearer secret attached."""

    def __init__(self, channel, secret, protos):
        self.p = protos
        self.metadata = [("authorization", f"Bearer {secret}")]
        self.catalogue = protos.catalogue_grpc.CatalogueServiceStub(channel)
        self.admin = protos.admin_grpc.AdminServiceStub(channel)

    def list_models(self, page_size=50, **filters):
        """Every model matching the filters (e.g. area_id="tp-sa-dec"),
        following next_page_token; returns (models, total_size)."""
        models, token = [], ""
        while True:
            page = self.catalogue.ListModels(
                self.p.catalogue_service.ListModelsRequest(
                    page_size=page_size, page_token=token, **filters),
                metadata=self.metadata, timeout=30)
            models.extend(page.models)
            token = page.next_page_token
            if not token:
                return models, page.total_size

    def get_model(self, model_id):
        """The model and its document version."""
        return self.catalogue.GetModel(
            self.p.catalogue_service.GetModelRequest(id=model_id),
            metadata=self.metadata, timeout=30)

    def update_model(self, model_id, base_version, paths, **values):
        """Changes only the fields named in `paths` to `values`; the server
        leaves every other field as it is. Raises grpc.RpcError if refused."""
        request = self.p.admin_service.UpdateModelRequest(
            model=self.p.catalogue.Model(id=model_id, **values),
            base_version=base_version)
        request.update_mask.paths.extend(paths)
        return self.admin.UpdateModel(request, metadata=self.metadata,
                                      timeout=30)


def error_status(rpc_error, protos):
    """The google.rpc.Status of a failed call, or None if it has none."""
    for key, value in rpc_error.trailing_metadata() or ():
        if key == STATUS_DETAILS_KEY:
            return protos.rpc_status.Status.FromString(value)
    return None


def error_info(status, protos):
    """The google.rpc.ErrorInfo among the status's details (its stable
    `reason`, e.g. "NOT_FOUND", "DEVICE_REVOKED"), or None."""
    for detail in status.details:
        info = protos.error_details.ErrorInfo()
        # Unpack is False for other detail types.
        if detail.Unpack(info) and info.domain == ERROR_DOMAIN:
            return info
    return None


def field_violations(status, protos):
    """The field violations of every BadRequest among the status's details."""
    violations = []
    for detail in status.details:
        bad_request = protos.error_details.BadRequest()
        if detail.Unpack(bad_request):
            violations.extend(bad_request.field_violations)
    return violations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--address",
                        default=os.environ.get("FIELDSYNC_ADDRESS",
                                               "127.0.0.1:7443"))
    parser.add_argument("--secret-file",
                        default=os.environ.get("FIELDSYNC_SECRET_FILE",
                                               "fieldsync-data/admin-secret"))
    parser.add_argument("--model", default="huyen-tp-sa-dec-05")
    parser.add_argument("--googleapis", default=GOOGLEAPIS_PROTO_DIR,
                        help="folder holding googleapis' google/rpc/*.proto")
    args = parser.parse_args()
    # The secret, and the pin of a server that made its own certificate.
    secret, pin = pinned_tls.read_secret_file(args.secret_file)

    with tempfile.TemporaryDirectory() as out_dir, \
            pinned_tls.channel_for(args.address, pin) as channel:
        p = Protos(out_dir, googleapis_dir=args.googleapis)
        client = AdminClient(channel, secret, p)

        # 1. List models, filtered: those owned by TP Sa Đéc.
        models, total = client.list_models(area_id="tp-sa-dec")
        print(f"{total} models of tp-sa-dec, e.g.:")
        for model in models[:3]:
            print(f"  {model.id}  {model.name}")

        # 2. Change one field. The mask names the fields to write; the
        # base version makes a concurrent edit surface in the review queue.
        current = client.get_model(args.model)
        updated = client.update_model(
            args.model, current.version, ["plan_2021_2025"],
            plan_2021_2025=current.model.plan_2021_2025 + " (reviewed)")
        print(f"{args.model}: version {current.version} -> {updated.version}")

        # 3. A rejected update: the mask names a field Model does not have.
        try:
            client.update_model(args.model, 0, ["colour"])
        except grpc.RpcError as error:
            print(f"rejected: {error.code().name}: {error.details()}")
            status = error_status(error, p)
            info = error_info(status, p) if status else None
            if info is not None:  # the code to test, and to translate
                print(f"  reason: {info.reason} ({info.domain})")
            for violation in field_violations(status, p) if status else []:
                print(f"  {violation.field}: {violation.description}")


if __name__ == "__main__":
    main()
