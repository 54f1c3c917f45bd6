"""The real fieldsync-server for the Python tests: started on a free port
with its own data folder, its output kept for a failure's message; in
plaintext, or with TLS on a certificate it makes itself."""

import re
import subprocess
import threading


class Server:
    """The real server on a free port and its own data folder. With
    `self_signed`, it serves TLS on a certificate it makes in the data
    folder (--tls-self-signed), whose SHA-256 it prints (`sha256`) and
    writes into the admin secret file."""

    def __init__(self, binary, data_dir, self_signed=False):
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data-dir", data_dir,
             "--tls-self-signed" if self_signed else "--plaintext"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        self.address = None
        self.sha256 = None
        for line in self.process.stdout:  # ends if the server exits early
            self.output.append(line)
            printed = re.search(r"self-signed TLS certificate.*SHA-256 "
                                r"([0-9a-f]{64})", line)
            if printed:
                self.sha256 = printed.group(1)
            match = re.search(r"listening on (127\.0\.0\.1:\d+)", line)
            if match:
                self.address = match.group(1)
                break
        # Keep draining so a chatty server never blocks on a full pipe.
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()
        if self.address is None:
            self.stop()
            raise RuntimeError("the server did not start:\n" +
                               "".join(self.output))

    def _drain(self):
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=60)

    def stop_cleanly(self):
        """Stops the server; a non-zero exit fails the test with its output."""
        exit_code = self.stop()
        if exit_code != 0:
            raise AssertionError(f"the server exited with {exit_code}:\n" +
                                 "".join(self.output))
