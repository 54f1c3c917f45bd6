// The Node client over TLS to the real server with a certificate it made
// itself (fieldsync-server --tls-self-signed, what scripts/serve.sh does off
// loopback), pinned by the SHA-256 that the admin secret file and a device's
// enrolment carry (examples/node/pinned_tls.js): the admin client reads, a
// tablet pushes and pulls with the right pin, and a wrong pin is refused
// before anything is sent.
//
//   NODE_PATH=tools/node_modules node tests/clients/node_tls_test.js \
//       build/server/fieldsync-server
//
// Started by ctest (tests/CMakeLists.txt). Any mismatch exits non-zero;
// nothing is skipped.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const grpc = require('@grpc/grpc-js');
const protobuf = require('protobufjs');
const example = require('../../examples/node/admin_example.js');
const pinnedTls = require('../../examples/node/pinned_tls.js');
const { startServer } = require('../support/server_process.js');

const COMMUNE = 'xa-tan-khanh-dong';
const MODEL_ID = 'huyen-tp-sa-dec-05';

const serverBinary = process.argv[2];
if (!serverBinary) {
  console.error('usage: node_tls_test.js SERVER_BINARY');
  process.exit(2);
}

let temp;
let dataDir;
let server;
let address;
let admin;
let services;
let pin;

before(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-node-tls-'));
  dataDir = path.join(temp, 'data');
  server = startServer(serverBinary, dataDir, { selfSigned: true });
  address = await server.address;
  const adminFile =
      pinnedTls.readSecretFile(path.join(dataDir, 'admin-secret'));
  pin = adminFile.pin;
  services = example.loadServices();
  admin = new example.AdminClient(address, adminFile.secret, services,
      await pinnedTls.pinnedCredentials(address, pin));
});

after(async () => {
  admin?.close();
  if (server) {
    server.child.kill('SIGTERM');
    const code = await server.exited;
    fs.rmSync(temp, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly on SIGTERM');
  }
});

// FieldSet.value for a Report field: a Report holding only that field,
// serialized (docs/sync-protocol.md, "FieldSet.value").
function reportValue(field, value) {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => path.join(example.PROTO_DIR, target);
  root.loadSync('fieldsync/v1/report.proto', { keepCase: true });
  const Report = root.lookupType('fieldsync.v1.Report');
  return Buffer.from(Report.encode(Report.fromObject({ [field]: value }))
      .finish());
}

function bearer(secret) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${secret}`);
  return metadata;
}

// Sends one PushRequest; resolves to the one PushResponse.
function push(sync, secret, mutations) {
  return new Promise((resolve, reject) => {
    const answers = [];
    const call = sync.Push(bearer(secret),
        { deadline: Date.now() + 30_000 });
    call.on('data', (answer) => answers.push(answer));
    call.on('error', reject);
    call.on('end', () => resolve(answers));
    call.write({ protocol_version: 'PROTOCOL_VERSION_CURRENT', mutations });
    call.end();
  }).then((answers) => {
    assert.equal(answers.length, 1, 'one answer to one batch');
    return answers[0];
  });
}

// Pulls from no cursor to the page marked done; resolves to the documents
// by key.
function pullAll(sync, secret) {
  return new Promise((resolve, reject) => {
    const documents = new Map();
    let done = false;
    const call = sync.Pull({
      protocol_version: 'PROTOCOL_VERSION_CURRENT', cursor: Buffer.alloc(0),
    }, bearer(secret), { deadline: Date.now() + 60_000 });
    call.on('data', (page) => {
      for (const document of page.documents) {
        documents.set(document.key, document);
      }
      done ||= page.done;
    });
    call.on('error', reject);
    call.on('end', () => done ? resolve(documents) :
      reject(new Error('a pull ended without a page marked done')));
  });
}

test('the admin secret file pins the certificate served', async () => {
  assert.match(pin ?? '', /^[0-9a-f]{64}$/, 'no pin in the admin secret file');
  assert.equal(pin, await server.sha256, 'the pin the server printed');
  const pem = fs.readFileSync(path.join(dataDir, 'tls', 'server.pem'));
  assert.equal(pinnedTls.sha256(new crypto.X509Certificate(pem).raw), pin);
  const served = await pinnedTls.serverCertificate(address);
  assert.equal(pinnedTls.sha256(served.raw), pin);
});

test('the admin client reads over the pinned credentials', async () => {
  const current = await admin.getModel(MODEL_ID);
  assert.equal(current.model.id, MODEL_ID);
});

test('a tablet with the right pin pushes and pulls', async () => {
  const enrolled = await admin.call(admin.admin, 'EnrollDevice', {
    name: 'node tls tablet', role: 'ROLE_COMMUNE_OFFICER', area_id: COMMUNE,
  });
  assert.equal(enrolled.server_certificate_sha256, pin);
  // The device's secret file, as its enrolment QR code reads.
  const secretFile = path.join(temp, 'tablet-secret');
  fs.writeFileSync(secretFile, `${enrolled.secret}\n${pinnedTls.PIN_LABEL} ` +
      `${enrolled.server_certificate_sha256}\n`);
  const tabletFile = pinnedTls.readSecretFile(secretFile);
  assert.equal(tabletFile.pin, pin);

  const sync = new services.SyncService(address,
      await pinnedTls.pinnedCredentials(address, tabletFile.pin));
  try {
    const key = `report/${COMMUNE}.${MODEL_ID}.2032`;
    const answer = await push(sync, tabletFile.secret, [{
      device_id: enrolled.device.id,
      mutation_seq: 1,
      key,
      base_version: 0,
      author: 'node tls tablet',
      device_time_micros: String(Date.now() * 1000),
      sets: [
        ['area_id', COMMUNE], ['model_id', MODEL_ID], ['period', '2032'],
        ['results', 'Qua TLS từ Node'],
      ].map(([field, value]) => ({ path: field,
        value: reportValue(field, value) })),
    }]);
    assert.equal(answer.results.length, 1);
    const [created] = answer.results;
    assert.equal(created.outcome, 'MUTATION_OUTCOME_APPLIED', created.reason);

    const documents = await pullAll(sync, tabletFile.secret);
    const report = documents.get(key);
    assert.ok(report, `${key} was not pulled`);
    assert.equal(report.version, created.version);
    assert.equal(report.report.results, 'Qua TLS từ Node');
  } finally {
    sync.close();
  }
});

test('a wrong pin is refused before anything is sent', async () => {
  const wrong = (pin[0] === '0' ? '1' : '0') + pin.slice(1);
  await assert.rejects(pinnedTls.pinnedCredentials(address, wrong), (error) => {
    assert.ok(error instanceof pinnedTls.CertificatePinMismatch, error);
    assert.match(error.message, new RegExp(
        `at ${address} has SHA-256 ${pin}, not the pinned ${wrong}`));
    return true;
  });
});

test('a malformed pin line is refused', () => {
  assert.throws(() => pinnedTls.parseSecretText(
      `fs1.dev-x.y\n${pinnedTls.PIN_LABEL} abc\n`), /not 64 hex digits/);
  assert.deepEqual(pinnedTls.parseSecretText('fs1.dev-x.y\n'),
      { secret: 'fs1.dev-x.y', pin: null });
});
