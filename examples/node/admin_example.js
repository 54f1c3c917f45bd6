#!/usr/bin/env node
// FieldSync's admin API from Node, with @grpc/grpc-js (a gRPC implementation
// of its own, not a binding of the C core) and the .proto files in proto/.
//
//   npm install @grpc/grpc-js @grpc/proto-loader protobufjs google-proto-files
//   node examples/node/admin_example.js \
//       --address 127.0.0.1:7443 --secret-file fieldsync-data/admin-secret
//
// (In this repository the packages are in tools/: scripts/install-deps.sh
// installs them, and NODE_PATH=tools/node_modules finds them.)
//
// It lists the district models of TP Sa Đéc, changes one model's plan with a
// field mask, then sends a mask naming a field that does not exist and prints
// the error details the server sends back: googleapis' own google.rpc.Status,
// ErrorInfo and BadRequest, decoded with the .proto files googleapis
// publishes (npm's google-proto-files), as any gRPC client would, not with
// FieldSync's. Address and secret file may also come from FIELDSYNC_ADDRESS
// and FIELDSYNC_SECRET_FILE.
//
// The transport follows the secret file: plaintext, as a server started with
// --plaintext speaks (on loopback only), unless the file carries a
// "server-certificate-sha256" line, as it does when the server made its own
// certificate (--tls-self-signed, scripts/serve.sh on a LAN address); then
// TLS that trusts that certificate alone (pinned_tls.js). A server with a
// CA-signed certificate takes grpc.credentials.createSsl(caPem).
'use strict';

const path = require('node:path');
const { parseArgs } = require('node:util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const googleProtoFiles = require('google-proto-files');
const pinnedTls = require('./pinned_tls.js');

const PROTO_DIR = path.resolve(__dirname, '..', '..', 'proto');
const PROTO_FILES = [
  'fieldsync/v1/admin_service.proto',
  'fieldsync/v1/catalogue_service.proto',
  'fieldsync/v1/sync.proto',
];
// The folder holding googleapis' google/rpc/*.proto: google-proto-files'.
const GOOGLEAPIS_DIR = path.dirname(googleProtoFiles.getProtoPath());
// The trailer that carries a failed call's serialized google.rpc.Status.
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
// ErrorInfo.domain of FieldSync's reasons.
const ERROR_DOMAIN = 'fieldsync.v1';

// Field names as in the .proto (plan_2021_2025), enums as names, uint64
// versions as decimal strings (compare them with BigInt).
const LOADER_OPTIONS = {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
};

// The gRPC clients, built by proto-loader from the .proto files at run time.
function loadServices(protoDir = PROTO_DIR) {
  const definition = protoLoader.loadSync(PROTO_FILES, {
    ...LOADER_OPTIONS, includeDirs: [protoDir],
  });
  return grpc.loadPackageDefinition(definition).fieldsync.v1;
}

// googleapis' error detail messages (google.rpc.Status and the details it
// carries), for decoding the trailer's bytes. protobufjs is what proto-loader
// is built on; proto-loader gives no decoder for messages that are not a
// method's request or response.
function loadErrorTypes(googleapisDir = GOOGLEAPIS_DIR) {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) =>
    target.startsWith('google/protobuf/') ? target :  // built into protobufjs
      path.join(googleapisDir, target);
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'],
      { keepCase: true });
  return {
    Status: root.lookupType('google.rpc.Status'),
    root,
  };
}

// A province admin's calls, each with the bearer secret attached; every
// method returns a promise.
class AdminClient {
  constructor(address, secret, services,
      credentials = grpc.credentials.createInsecure()) {
    this.catalogue = new services.CatalogueService(address, credentials);
    this.admin = new services.AdminService(address, credentials);
    this.metadata = new grpc.Metadata();
    this.metadata.set('authorization', `Bearer ${secret}`);
  }

  close() {
    this.catalogue.close();
    this.admin.close();
  }

  call(stub, method, request) {
    const deadline = Date.now() + 30_000;
    return new Promise((resolve, reject) => {
      stub[method](request, this.metadata, { deadline }, (error, response) =>
        error ? reject(error) : resolve(response));
    });
  }

  // Every model matching the filters (e.g. { area_id: 'tp-sa-dec' }),
  // following next_page_token; resolves to { models, totalSize }.
  async listModels(filters = {}, pageSize = 50) {
    const models = [];
    let pageToken = '';
    for (;;) {
      const page = await this.call(this.catalogue, 'ListModels',
          { ...filters, page_size: pageSize, page_token: pageToken });
      models.push(...page.models);
      pageToken = page.next_page_token;
      if (!pageToken) return { models, totalSize: page.total_size };
    }
  }

  // The model and its document version.
  getModel(id) {
    return this.call(this.catalogue, 'GetModel', { id });
  }

  // Changes only the fields named in `paths` to `values`; the server leaves
  // every other field as it is. Rejects with a grpc-js ServiceError if
  // refused.
  updateModel(id, baseVersion, paths, values = {}) {
    return this.call(this.admin, 'UpdateModel', {
      model: { ...values, id },
      update_mask: { paths },
      base_version: baseVersion,
    });
  }
}

// The google.rpc.Status of a failed call as a plain object, its details
// unpacked from their Any (each with its '@type'); null if the call carried
// none.
function errorStatus(serviceError, errorTypes) {
  const [bytes] = serviceError.metadata?.get(STATUS_DETAILS_KEY) ?? [];
  if (!bytes) return null;
  const status = errorTypes.Status.decode(bytes);
  return {
    code: status.code,
    message: status.message,
    details: status.details.map((any) => {
      const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
      const type = errorTypes.root.lookupType(typeName);
      return { '@type': typeName, ...type.toObject(type.decode(any.value)) };
    }),
  };
}

// The google.rpc.ErrorInfo among the status's details: its stable `reason`
// ('NOT_FOUND', 'DEVICE_REVOKED', ...) is what a program tests and
// translates. Null if there is none.
function errorInfo(status) {
  return status.details.find((detail) =>
    detail['@type'] === 'google.rpc.ErrorInfo' &&
      detail.domain === ERROR_DOMAIN) ?? null;
}

// The field violations of every BadRequest among the status's details.
function fieldViolations(status) {
  return status.details
      .filter((detail) => detail['@type'] === 'google.rpc.BadRequest')
      .flatMap((detail) => detail.field_violations ?? []);
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      'address': {
        type: 'string',
        default: process.env.FIELDSYNC_ADDRESS ?? '127.0.0.1:7443',
      },
      'secret-file': {
        type: 'string',
        default: process.env.FIELDSYNC_SECRET_FILE ??
            'fieldsync-data/admin-secret',
      },
      'model': { type: 'string', default: 'huyen-tp-sa-dec-05' },
    },
  });
  // The secret, and the pin of a server that made its own certificate.
  const { secret, pin } = pinnedTls.readSecretFile(args['secret-file']);
  const client = new AdminClient(args.address, secret, loadServices(),
      await pinnedTls.credentialsFor(args.address, pin));
  const errorTypes = loadErrorTypes();
  try {
    // 1. List models, filtered: those owned by TP Sa Đéc.
    const { models, totalSize } =
        await client.listModels({ area_id: 'tp-sa-dec' });
    console.log(`${totalSize} models of tp-sa-dec, e.g.:`);
    for (const model of models.slice(0, 3)) {
      console.log(`  ${model.id}  ${model.name}`);
    }

    // 2. Change one field. The mask names the fields to write; the base
    // version makes a concurrent edit surface in the review queue.
    const current = await client.getModel(args.model);
    const updated = await client.updateModel(args.model, current.version,
        ['plan_2021_2025'],
        { plan_2021_2025: `${current.model.plan_2021_2025} (reviewed)` });
    console.log(
        `${args.model}: version ${current.version} -> ${updated.version}`);

    // 3. A rejected update: the mask names a field Model does not have.
    try {
      await client.updateModel(args.model, 0, ['colour']);
    } catch (error) {
      console.log(`rejected: ${grpc.status[error.code]}: ${error.details}`);
      const status = errorStatus(error, errorTypes);
      const info = status ? errorInfo(status) : null;
      if (info) console.log(`  reason: ${info.reason} (${info.domain})`);
      for (const violation of status ? fieldViolations(status) : []) {
        console.log(`  ${violation.field}: ${violation.description}`);
      }
    }
  } finally {
    client.close();
  }
}

module.exports = {
  AdminClient, LOADER_OPTIONS, PROTO_DIR, errorInfo, errorStatus,
  fieldViolations, loadErrorTypes, loadServices,
};

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
