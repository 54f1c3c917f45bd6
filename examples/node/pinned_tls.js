// TLS to a FieldSync server that made its own certificate, pinned by the
// SHA-256 its secret file carries, with @grpc/grpc-js.
//
// A server started with --tls-self-signed (what scripts/serve.sh does on any
// address but loopback) serves a certificate no CA vouches for. The admin
// secret file it writes, and the enrolment QR code of each device, carry the
// certificate's fingerprint on a second line (sync/server_pin.h):
//
//   fs1.dev-0123456789ab.<random>
//   server-certificate-sha256 <64 hex digits>
//
// pinnedCredentials() reads the server's certificate over a plain TLS
// connection and refuses it unless its SHA-256 is the pin
// (CertificatePinMismatch, before any call is made); the credentials it
// returns then trust that certificate alone as their root, and check every
// connection's certificate against the pin again instead of checking the
// host name (as the C++ SDK does, client-sdk/certificate_pin.h: a tablet on
// a LAN dials an address the certificate cannot know).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');
const grpc = require('@grpc/grpc-js');

const PIN_LABEL = 'server-certificate-sha256';

// The server's certificate is not the one pinned: nothing was sent.
class CertificatePinMismatch extends Error {
  constructor(message) {
    super(message);
    this.name = 'CertificatePinMismatch';
  }
}

// { secret, pin } from a secret file's or an enrolment QR code's text; pin
// is the lowercase SHA-256 of the "server-certificate-sha256" line, or null
// when there is none (a plaintext or CA-signed server). Throws if that line
// does not hold 64 hex digits.
function parseSecretText(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new Error('the secret file is empty');
  let pin = null;
  for (const line of lines.slice(1)) {
    const [label, value = ''] = line.split(/\s+/, 2);
    if (label !== PIN_LABEL) continue;
    if (!/^[0-9a-fA-F]{64}$/.test(value)) {
      throw new Error(`${PIN_LABEL} is not 64 hex digits: "${value}"`);
    }
    pin = value.toLowerCase();
  }
  return { secret: lines[0], pin };
}

function readSecretFile(path) {
  return parseSecretText(fs.readFileSync(path, 'utf8'));
}

// { host, port } of "host:port" or "[v6]:port".
function splitAddress(address) {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(address.slice(colon + 1)),
  };
}

function sha256(der) {
  return crypto.createHash('sha256').update(der).digest('hex');
}

// The certificate the server at `address` presents (Node's peer
// certificate object: .raw holds the DER bytes), read without trusting it.
function serverCertificate(address, timeoutMs = 10_000) {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'],
      // SNI takes a host name, never an address.
      ...(net.isIP(host) ? {} : { servername: host }),
    }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.raw) {
        reject(new Error(`the server at ${address} sent no certificate`));
      } else {
        resolve(cert);
      }
    });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no TLS answer from ${address}`)));
    socket.on('error', reject);
  });
}

function mismatch(address, seen, pin) {
  return new CertificatePinMismatch(
      `the server's TLS certificate at ${address} has SHA-256 ${seen}, ` +
      `not the pinned ${pin}: refusing to talk to it`);
}

// grpc-js credentials for `address` that trust only the server certificate
// whose SHA-256 is `pin`; rejects with CertificatePinMismatch if the server
// presents another one.
async function pinnedCredentials(address, pin) {
  const wanted = pin.toLowerCase();
  const cert = await serverCertificate(address);
  const seen = sha256(cert.raw);
  if (seen !== wanted) throw mismatch(address, seen, wanted);
  const pem = '-----BEGIN CERTIFICATE-----\n' +
      cert.raw.toString('base64').replace(/(.{64})/g, '$1\n') +
      '\n-----END CERTIFICATE-----\n';
  return grpc.credentials.createSsl(Buffer.from(pem), null, null, {
    // Called once the chain is verified against the certificate above, in
    // place of the host name check: the pin again, on every connection.
    checkServerIdentity: (_host, peer) => {
      const got = sha256(peer.raw);
      return got === wanted ? undefined : mismatch(address, got, wanted);
    },
  });
}

// Pinned TLS credentials when there is a pin, else plaintext ones (a server
// started with --plaintext, on loopback).
async function credentialsFor(address, pin) {
  return pin ? pinnedCredentials(address, pin) :
    grpc.credentials.createInsecure();
}

module.exports = {
  CertificatePinMismatch, PIN_LABEL, credentialsFor, parseSecretText,
  pinnedCredentials, readSecretFile, serverCertificate, sha256,
};
