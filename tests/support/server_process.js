// The real fieldsync-server for the Node tests (tests/clients/): started on
// a free port with its own data folder, in plaintext or with TLS on a
// certificate it makes itself (--tls-self-signed), as
// tests/support/server_process.py does for the Python ones.
'use strict';

const { spawn } = require('node:child_process');
const readline = require('node:readline');

// Starts `binary` on data folder `dataDir`; `address` resolves once it
// prints the address it listens on, `exited` to its exit code; `sha256`
// resolves to the SHA-256 of the certificate it made itself, if asked to.
function startServer(binary, dataDir, { selfSigned = false } = {}) {
  const child = spawn(binary, ['--listen', '127.0.0.1:0', '--data-dir',
    dataDir, selfSigned ? '--tls-self-signed' : '--plaintext'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = [];
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let sha256 = null;
  const address = new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const printed =
          /self-signed TLS certificate.*SHA-256 ([0-9a-f]{64})/.exec(line);
      if (printed) sha256 = printed[1];
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.on('error', reject);
    exited.then((code) => reject(
        new Error(`the server exited (${code}) before listening:\n` +
                  output.join('\n'))));
  });
  return {
    child, address, exited, sha256: address.then(() => sha256, () => null),
  };
}

module.exports = { startServer };
