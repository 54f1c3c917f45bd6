"""TLS to a FieldSync server that made its own certificate, pinned by the
SHA-256 its secret file carries, with Debian's python3-grpcio.

A server started with --tls-self-signed (what scripts/serve.sh does on any
address but loopback) serves a certificate no CA vouches for. The admin
secret file it writes, and the enrolment QR code of each device, carry the
certificate's fingerprint on a second line (sync/server_pin.h):

    fs1.dev-0123456789ab.<random>
    server-certificate-sha256 <64 hex digits>

grpcio has no hook to check a certificate by its fingerprint during the
handshake, so `pinned_channel` does it in two steps: it reads the server's
certificate over a plain TLS connection and refuses it unless its SHA-256 is
the pin (CertificatePinMismatch, before any call is made); then it opens the
gRPC channel trusting that certificate, and only it, as its root. Every
connection the channel makes (reconnects included) is verified against it,
so a server without that certificate's private key is refused there too.
The host name is not what is checked (as in the C++ SDK,
client-sdk/certificate_pin.h): a tablet on a LAN dials an address the
certificate cannot know, so the channel checks the certificate against a
name it carries (the server's own certificate always names "localhost").
"""
import hashlib
import socket
import ssl

import grpc

PIN_LABEL = "server-certificate-sha256"
# The subjectAltName extension (OID 2.5.29.17), DER-encoded.
_SUBJECT_ALT_NAME_OID = bytes.fromhex("0603551d11")
_DNS_NAME_TAG = 0x82  # GeneralName's dNSName, [2] IMPLICIT IA5String


class CertificatePinMismatch(Exception):
    """The server's certificate is not the one pinned: nothing was sent."""


def read_secret_file(path):
    """(secret, pin) from a secret file or an enrolment QR code's text; the
    pin is the lowercase SHA-256 of the "server-certificate-sha256" line,
    or None when there is none (a plaintext or CA-signed server). ValueError
    if that line does not hold 64 hex digits."""
    with open(path, encoding="utf-8") as file:
        return parse_secret_text(file.read())


def parse_secret_text(text):
    """read_secret_file's answer for the file's text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError("the secret file is empty")
    pin = None
    for line in lines[1:]:
        label, _, value = line.partition(" ")
        if label != PIN_LABEL:
            continue
        value = value.strip().lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError(f"{PIN_LABEL} is not 64 hex digits: {value!r}")
        pin = value
    return lines[0], pin


def split_address(address):
    """("host", port) of "host:port" or "[v6]:port"."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def server_certificate(address, timeout=10):
    """The DER bytes of the certificate the server at `address` presents,
    read without trusting it (the caller checks it)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])  # what a gRPC client offers
    host, port = split_address(address)
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def _element(der, pos):
    """(tag, start, end) of the DER element at der[pos], its contents being
    der[start:end]."""
    tag, length = der[pos], der[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(der[pos:pos + count], "big")
        pos += count
    return tag, pos, pos + length


def _children(der, start, end):
    while start < end:
        tag, child_start, child_end = _element(der, start)
        yield tag, child_start, child_end
        start = child_end


def certificate_dns_names(der):
    """The DNS names of a certificate's subjectAltName, in order."""
    _, cert_start, cert_end = _element(der, 0)
    _, tbs_start, tbs_end = next(_children(der, cert_start, cert_end))
    names = []
    for tag, start, end in _children(der, tbs_start, tbs_end):
        if tag != 0xA3:  # [3] extensions
            continue
        _, exts_start, exts_end = _element(der, start)
        for _, ext_start, ext_end in _children(der, exts_start, exts_end):
            parts = list(_children(der, ext_start, ext_end))
            oid = der[parts[0][1] - 2:parts[0][2]]
            if oid != _SUBJECT_ALT_NAME_OID:
                continue
            _, value_start, value_end = parts[-1]  # the OCTET STRING
            _, seq_start, seq_end = _element(der, value_start)
            for name_tag, s, e in _children(der, seq_start, seq_end):
                if name_tag == _DNS_NAME_TAG:
                    names.append(der[s:e].decode("ascii"))
    return names


def check_pin(der, pin, address):
    """Raises CertificatePinMismatch unless SHA-256(der) is `pin`."""
    seen = hashlib.sha256(der).hexdigest()
    if seen != pin.lower():
        raise CertificatePinMismatch(
            f"the server's TLS certificate at {address} has SHA-256 {seen},"
            f" not the pinned {pin.lower()}: refusing to talk to it")


def pinned_channel(address, pin, options=()):
    """A gRPC channel to `address` over TLS that trusts only the server
    certificate whose SHA-256 is `pin`. Raises CertificatePinMismatch if
    the server presents another one (OSError if it cannot be reached)."""
    der = server_certificate(address)
    check_pin(der, pin, address)
    names = certificate_dns_names(der)
    if not names:
        raise CertificatePinMismatch(
            f"the pinned certificate at {address} names no DNS host, which"
            " gRPC needs to check it against")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=ssl.DER_cert_to_PEM_cert(der).encode("ascii"))
    return grpc.secure_channel(
        address, credentials,
        options=[("grpc.ssl_target_name_override", names[0]), *options])


def channel_for(address, pin):
    """A pinned TLS channel when there is a pin, else a plaintext one (a
    server started with --plaintext, on loopback)."""
    if pin:
        return pinned_channel(address, pin)
    return grpc.insecure_channel(address)
