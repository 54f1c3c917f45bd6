"""A tablet client written from docs/sync-protocol.md and proto/ alone, so
that the document is tested by a second implementation of the protocol.

It keeps what a tablet keeps in one SQLite file (the outbox, the next
mutation number, the pull cursor and the documents), changes it in one
transaction per step the document says must be one write, and talks to the
server with Debian's python3-grpcio and stubs generated from proto/ at run
time (examples/python/admin_example.py, Protos). Nothing here comes from the
C++ SDK. It asks for plain pages and plain push answers: zstd is optional,
and python3-zstandard is not a dependency of the tests.
"""
import contextlib
import sqlite3
import time
import zlib

PUSH_METHOD = "/fieldsync.v1.SyncService/Push"
PULL_METHOD = "/fieldsync.v1.SyncService/Pull"
CALL_TIMEOUT_SECONDS = 60
# "at most 256 KiB" per PushRequest (docs/sync-protocol.md, "Pushing").
MAX_BATCH_BYTES = 256 * 1024


def page_checksum(documents):
    """The page checksum: zlib's CRC-32 of the documents' bytes as received,
    one after the other."""
    crc = 0
    for document in documents:
        crc = zlib.crc32(document, crc)
    return crc


def _varint(data, pos):
    """The base-128 varint at data[pos:] and the position after it."""
    value, shift = 0, 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint longer than 10 bytes")


def raw_documents(page):
    """The bytes of each `documents` entry (field 1) of a serialized
    PullResponse, as the server sent them, in order."""
    documents, pos = [], 0
    while pos < len(page):
        tag, pos = _varint(page, pos)
        field, wire_type = tag >> 3, tag & 7
        if wire_type == 0:
            _, pos = _varint(page, pos)
        elif wire_type == 1:
            pos += 8
        elif wire_type == 5:
            pos += 4
        elif wire_type == 2:
            length, pos = _varint(page, pos)
            if field == 1:
                documents.append(page[pos:pos + length])
            pos += length
        else:
            raise ValueError(f"wire type {wire_type} in a PullResponse")
        if pos > len(page):
            raise ValueError("truncated PullResponse")
    return documents


def _batches(mutations):
    """The mutations in order, cut into PushRequests' worth of at most
    MAX_BATCH_BYTES (each mutation counted with its largest framing)."""
    batch, size = [], 2  # protocol_version
    for mutation in mutations:
        framed = mutation.ByteSize() + 6  # a tag byte, a length of <= 5
        if batch and size + framed > MAX_BATCH_BYTES:
            yield batch
            batch, size = [], 2
        batch.append(mutation)
        size += framed
    if batch:
        yield batch


def field_value(body_type, path, value):
    """FieldSet.value for `path`: a serialized `body_type` (Report, ...)
    holding only that field, or for "name/key" only that map entry. A
    value equal to the field's default serializes to nothing, which clears
    the field (docs/sync-protocol.md, "FieldSet.value")."""
    body = body_type()
    name, _, key = path.partition("/")
    if key:
        entries = getattr(body, name)
        if hasattr(value, "SerializeToString"):
            entries[key].CopyFrom(value)
        else:
            entries[key] = value
    elif hasattr(value, "SerializeToString"):
        getattr(body, name).CopyFrom(value)
    else:
        setattr(body, name, value)
    return body.SerializeToString()


class ChecksumMismatch(Exception):
    """A page whose checksum is not that of its documents."""


class Tablet:
    """One enrolled device and its local store (a SQLite file at `path`).

    `protos` holds the generated modules: protos.sync (sync_pb2) and
    protos.document (document_pb2). Owned by one thread; the store is
    durable (SQLite's default synchronous=FULL).
    """

    def __init__(self, channel, device_id, secret, path, protos):
        self.device_id = device_id
        self.p = protos
        self.metadata = [("authorization", f"Bearer {secret}")]
        # Raw stubs: Pull answers stay bytes, so the checksum is computed
        # over the documents exactly as they were sent.
        self.push_stub = channel.stream_stream(
            PUSH_METHOD,
            request_serializer=protos.sync.PushRequest.SerializeToString,
            response_deserializer=protos.sync.PushResponse.FromString)
        self.pull_stub = channel.unary_stream(
            PULL_METHOD,
            request_serializer=protos.sync.PullRequest.SerializeToString,
            response_deserializer=None)
        self.db = sqlite3.connect(path, isolation_level=None)
        with self._write():
            self.db.execute("CREATE TABLE IF NOT EXISTS meta"
                            " (name TEXT PRIMARY KEY, value BLOB)")
            self.db.execute("CREATE TABLE IF NOT EXISTS outbox"
                            " (seq INTEGER PRIMARY KEY, mutation BLOB)")
            self.db.execute("CREATE TABLE IF NOT EXISTS docs (key TEXT"
                            " PRIMARY KEY, version INTEGER, document BLOB)")
            self.db.execute("INSERT OR IGNORE INTO meta VALUES"
                            " ('next_seq', 1), ('cursor', x'')")

    def close(self):
        self.db.close()

    def backup(self, path):
        """Copies the store to `path`, as a backup of the tablet would."""
        copy = sqlite3.connect(path)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    @contextlib.contextmanager
    def _write(self):
        """One local write: a transaction, committed at the end of the
        block, rolled back if it raises."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _meta(self, name):
        return self.db.execute("SELECT value FROM meta WHERE name = ?",
                               (name,)).fetchone()[0]

    # Local state ------------------------------------------------------

    @property
    def next_seq(self):
        return self._meta("next_seq")

    @property
    def cursor(self):
        return bytes(self._meta("cursor"))

    def outbox(self):
        """The mutations not yet taken by the server, in mutation_seq order."""
        return [self.p.sync.Mutation.FromString(row[0]) for row in
                self.db.execute("SELECT mutation FROM outbox ORDER BY seq")]

    def document(self, key):
        """The local copy of a document, or None."""
        row = self.db.execute("SELECT document FROM docs WHERE key = ?",
                              (key,)).fetchone()
        return self.p.document.Document.FromString(row[0]) if row else None

    def keys(self):
        return [row[0] for row in
                self.db.execute("SELECT key FROM docs ORDER BY key")]

    # Editing ----------------------------------------------------------

    def edit(self, key, base_version, sets, delete=False, author="tablet",
             authority=0):
        """Puts a mutation in the outbox under the next number, in one write.
        `sets` maps a field path to its FieldSet.value bytes."""
        mutation = self.p.sync.Mutation(
            device_id=self.device_id, key=key, base_version=base_version,
            delete=delete, author=author, authority=authority,
            device_time_micros=time.time_ns() // 1000)
        for path, value in sets.items():
            mutation.sets.add(path=path, value=value)
        with self._write():
            mutation.mutation_seq = self.next_seq
            self.db.execute("INSERT INTO outbox VALUES (?, ?)",
                            (mutation.mutation_seq,
                             mutation.SerializeToString()))
            self.db.execute("UPDATE meta SET value = ? WHERE name ="
                            " 'next_seq'", (mutation.mutation_seq + 1,))
        return mutation

    # Pushing ----------------------------------------------------------

    def send(self, mutations):
        """Sends one batch and returns its PushResponse; changes nothing
        locally (an answer lost on the way back looks like this)."""
        request = self.p.sync.PushRequest(
            protocol_version=self.p.sync.PROTOCOL_VERSION_CURRENT,
            mutations=mutations)
        if request.ByteSize() > MAX_BATCH_BYTES:
            raise ValueError("a batch over 256 KiB")
        answers = list(self.push_stub(iter([request]),
                                      metadata=self.metadata,
                                      timeout=CALL_TIMEOUT_SECONDS))
        if len(answers) != 1:
            raise RuntimeError(f"{len(answers)} answers to one batch")
        return answers[0]

    def push(self):
        """Sends the outbox in batches of at most 256 KiB and applies each
        answer as the document says: a mutation taken (sequence > 0) leaves
        the outbox; one not taken stays, and ends this push; on
        MUTATION_REASON_SEQ_REUSED the whole outbox is numbered again from
        expected_seq in one write and pushed again. Returns every
        PushResponse, in order."""
        answers = []
        for _ in range(3):  # a renumbered outbox is sent once more
            reused = None
            for batch in _batches(self.outbox()):
                answer = self.send(batch)
                answers.append(answer)
                reused = self._apply(answer)
                if any(r.sequence == 0 for r in answer.results):
                    break
            if reused is None:
                return answers
            self.renumber(reused)
        return answers

    def _apply(self, answer):
        """Takes the mutations the server took out of the outbox, in one
        write; returns expected_seq of a MUTATION_REASON_SEQ_REUSED, or
        None."""
        reused = None
        with self._write():
            for result in answer.results:
                if result.sequence > 0:
                    self.db.execute("DELETE FROM outbox WHERE seq = ?",
                                    (result.mutation_seq,))
                elif (result.reason_code ==
                      self.p.sync.MUTATION_REASON_SEQ_REUSED
                      and reused is None):
                    reused = result.expected_seq
        return reused

    def renumber(self, first):
        """Numbers the whole outbox again, in order, from `first`, and the
        next number after it, in one write."""
        mutations = self.outbox()
        with self._write():
            self.db.execute("DELETE FROM outbox")
            for seq, mutation in enumerate(mutations, start=first):
                mutation.mutation_seq = seq
                self.db.execute("INSERT INTO outbox VALUES (?, ?)",
                                (seq, mutation.SerializeToString()))
            self.db.execute("UPDATE meta SET value = ? WHERE name ="
                            " 'next_seq'", (first + len(mutations),))

    # Pulling ----------------------------------------------------------

    def pull(self, max_page_bytes=0, max_pages=None, page_hook=None,
             attempts=3):
        """Pulls from the saved cursor until a page says `done`, saving each
        page's documents and cursor in one write. `max_pages` stops early
        (a cut); `page_hook(raw)` may change a page's bytes on arrival (a
        test's corruption). A page whose checksum does not match is dropped
        and the pull starts again from the last saved cursor, at most
        `attempts` times in all. Returns the pages saved."""
        pages = 0
        for _ in range(attempts):
            call = self.pull_stub(
                self.p.sync.PullRequest(
                    protocol_version=self.p.sync.PROTOCOL_VERSION_CURRENT,
                    cursor=self.cursor, max_page_bytes=max_page_bytes),
                metadata=self.metadata, timeout=CALL_TIMEOUT_SECONDS)
            try:
                for raw in call:
                    if page_hook is not None:
                        raw = page_hook(raw)
                    page = self.save_page(raw)
                    pages += 1
                    if page.done or pages == max_pages:
                        return pages
                raise RuntimeError("a pull ended without a page marked done")
            except ChecksumMismatch:
                continue
            finally:
                call.cancel()  # nothing if the call is over
        raise ChecksumMismatch(f"{attempts} pulls met a bad page")

    def save_page(self, raw):
        """Checks a serialized PullResponse and saves its documents (the
        higher version wins) and its cursor in one write; saves nothing and
        raises ChecksumMismatch if the checksum is wrong."""
        page = self.p.sync.PullResponse.FromString(raw)
        if page.documents_encoding != self.p.sync.PAGE_ENCODING_UNSPECIFIED:
            raise ValueError("an encoded page that was not asked for")
        documents = raw_documents(raw)
        if page_checksum(documents) != page.checksum:
            raise ChecksumMismatch(f"page checksum {page.checksum:#010x}")
        with self._write():
            for raw_document in documents:
                document = self.p.document.Document.FromString(raw_document)
                self.db.execute(
                    "INSERT INTO docs VALUES (?, ?, ?) ON CONFLICT (key) DO"
                    " UPDATE SET version = excluded.version, document ="
                    " excluded.document WHERE excluded.version >= version",
                    (document.key, document.version, raw_document))
            self.db.execute("UPDATE meta SET value = ? WHERE name ="
                            " 'cursor'", (page.cursor,))
        return page

