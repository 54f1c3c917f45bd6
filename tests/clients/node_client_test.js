// The Node client example (examples/node/admin_example.js) against the real
// server: list, a field-mask update, and the details of a rejected update,
// decoded with googleapis' own google/rpc protos from npm (google-proto-files),
// as any gRPC client decodes them, not with FieldSync's.
//
//   NODE_PATH=tools/node_modules node tests/clients/node_client_test.js \
//       build/server/fieldsync-server
//
// Started by ctest (tests/CMakeLists.txt). Any mismatch exits non-zero;
// nothing is skipped.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const grpc = require('@grpc/grpc-js');
const example = require('../../examples/node/admin_example.js');
const { startServer } = require('../support/server_process.js');

const MODEL_ID = 'huyen-tp-sa-dec-05';
const MODELS_TOTAL = 147;  // shared/data/README.md, as in tests/support/readme_counts.h
const TP_SA_DEC_MODELS = 31;

const serverBinary = process.argv[2];
if (!serverBinary) {
  console.error('usage: node_client_test.js SERVER_BINARY');
  process.exit(2);
}

let temp;
let server;
let client;
let errorTypes;

before(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-node-client-'));
  const dataDir = path.join(temp, 'data');
  server = startServer(serverBinary, dataDir);
  const address = await server.address;
  const secret =
      fs.readFileSync(path.join(dataDir, 'admin-secret'), 'utf8').trim();
  client = new example.AdminClient(address, secret, example.loadServices());
  errorTypes = example.loadErrorTypes();
});

after(async () => {
  client?.close();
  if (server) {
    server.child.kill('SIGTERM');
    const code = await server.exited;
    fs.rmSync(temp, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly on SIGTERM');
  }
});

test('lists every model across pages', async () => {
  const { models, totalSize } = await client.listModels({}, 20);
  assert.equal(totalSize, MODELS_TOTAL);
  const ids = models.map((m) => m.id);
  assert.equal(ids.length, MODELS_TOTAL);
  assert.deepEqual(ids, [...ids].sort(), 'ListModels pages in id order');
});

test('lists the models of one district with area_id', async () => {
  const { models, totalSize } =
      await client.listModels({ area_id: 'tp-sa-dec' }, 10);
  assert.equal(totalSize, TP_SA_DEC_MODELS);
  assert.equal(models.length, TP_SA_DEC_MODELS);
  assert.ok(models.some((m) => m.id === MODEL_ID));
  for (const m of models) assert.equal(m.owner_area_id, 'tp-sa-dec', m.id);
});

test('an update with a field mask changes only that field', async () => {
  const current = await client.getModel(MODEL_ID);
  const newPlan = 'Nhân rộng mô hình ra toàn thành phố (Node client test).';
  assert.notEqual(current.model.plan_2021_2025, newPlan);

  const updated = await client.updateModel(MODEL_ID, current.version,
      ['plan_2021_2025'], { plan_2021_2025: newPlan, name: 'not in the mask' });
  assert.ok(BigInt(updated.version) > BigInt(current.version),
      `version ${current.version} -> ${updated.version}`);
  const expected = { ...current.model, plan_2021_2025: newPlan };
  assert.deepEqual(updated.model, expected);

  const reread = await client.getModel(MODEL_ID);
  assert.equal(reread.version, updated.version);
  assert.deepEqual(reread.model, expected);
});

test('a rejected update carries google.rpc details', async () => {
  const current = await client.getModel(MODEL_ID);
  const error = await client.updateModel(MODEL_ID, current.version,
      ['colour']).then(() => assert.fail('the update was accepted'),
      (e) => e);
  assert.equal(error.code, grpc.status.INVALID_ARGUMENT, error.message);

  // The REAL google/rpc protos, nothing of FieldSync's.
  assert.ok(errorTypes.root.lookupType('google.rpc.Status').filename
      .includes(path.join('node_modules', 'google-proto-files')));
  const status = example.errorStatus(error, errorTypes);
  assert.ok(status, 'no grpc-status-details-bin trailer');
  assert.equal(status.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(status.message, error.details);
  assert.deepEqual(status.details.map((d) => d['@type']),
      ['google.rpc.ErrorInfo', 'google.rpc.BadRequest']);
  const info = example.errorInfo(status);
  assert.equal(info.reason, 'INVALID_ARGUMENT');
  assert.equal(info.domain, 'fieldsync.v1');
  assert.deepEqual(example.fieldViolations(status), [{
    field: 'update_mask.paths[0]',
    description: '"colour" is not a field of fieldsync.v1.Model',
  }]);

  const reread = await client.getModel(MODEL_ID);
  assert.equal(reread.version, current.version);
  assert.deepEqual(reread.model, current.model);
});

test('every refusal says why as a code', async () => {
  const missing = await client.getModel('tinh-kt-99').then(
      () => assert.fail('a model that does not exist was found'), (e) => e);
  assert.equal(missing.code, grpc.status.NOT_FOUND, missing.message);
  const status = example.errorStatus(missing, errorTypes);
  assert.ok(status, 'no grpc-status-details-bin trailer');
  assert.equal(example.errorInfo(status).reason, 'NOT_FOUND');

  // A wrong secret: the reason tells it from a missing one.
  const stranger = new example.AdminClient(await server.address,
      'fs1.nobody.0123456789', example.loadServices());
  try {
    const refused = await stranger.getModel(MODEL_ID).then(
        () => assert.fail('a wrong secret was accepted'), (e) => e);
    assert.equal(refused.code, grpc.status.UNAUTHENTICATED, refused.message);
    assert.equal(
        example.errorInfo(example.errorStatus(refused, errorTypes)).reason,
        'SECRET_INVALID');
  } finally {
    stranger.close();
  }
});
