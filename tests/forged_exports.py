"""Forging export files as an attacker would: real exports with records changed.

An export file is ZODB's: `ZEXP`, then records of an oid, a length and two
pickles (class, state), a blob's bytes after its record, and an end marker.
`forge` rewrites the state of chosen records and leaves the rest as it was,
so a test can plant what objweb never writes (volatile attributes, compiled
code, password hashes, lying parents) in an otherwise genuine file.
"""

import io
import pickle
import zipfile

from ZODB.Connection import TransactionMetaData
from ZODB.utils import p64, u64

END_MARKER = b"\377" * 16
BLOB_MARKER = b"\000BLOBSTART"


class Ref:
    """A reference to another record of the file, kept as it was."""

    def __init__(self, pid):
        self.pid = pid


class _Reader(pickle.Unpickler):
    def persistent_load(self, pid):
        return Ref(pid)


class _Writer(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, Ref) else None


def split_pickles(body: bytes) -> tuple[bytes, bytes]:
    """Return the class pickle and the state pickle of a record, as a storage holds them."""
    stream = io.BytesIO(body)
    _Reader(stream).load()
    return body[:stream.tell()], body[stream.tell():]


def records(data: bytes) -> list[dict]:
    """Return the records of an export file: oid, class pickle, state pickle, blob."""
    assert data[:4] == b"ZEXP"
    found, position = [], 4
    while data[position:position + 16] != END_MARKER:
        oid, length = data[position:position + 8], u64(data[position + 8:position + 16])
        body = data[position + 16:position + 16 + length]
        position += 16 + length
        class_pickle, state_pickle = split_pickles(body)
        blob = None
        if data[position:position + len(BLOB_MARKER)] == BLOB_MARKER:
            size = u64(data[position + 10:position + 18])
            blob = data[position + 18:position + 18 + size]
            position += 18 + size
        found.append({"oid": oid, "class": class_pickle, "state": state_pickle, "blob": blob})
    return found


def class_name(record: dict) -> str:
    """Return the name of the class a record is of."""
    header = _Reader(io.BytesIO(record["class"])).load()
    return (header[0] if isinstance(header, tuple) else header).__name__


def state_of(record: dict):
    """Return a record's state, references to other records kept as `Ref`."""
    return _Reader(io.BytesIO(record["state"])).load()


def set_state(record: dict, state) -> None:
    """Give a record a new state, pickled as ZODB pickles (protocol 3)."""
    buffer = io.BytesIO()
    _Writer(buffer, protocol=3).dump(state)
    record["state"] = buffer.getvalue()


def assemble(found: list[dict]) -> bytes:
    """Return the export file made of `found` records."""
    parts = [b"ZEXP"]
    for record in found:
        body = record["class"] + record["state"]
        parts += [record["oid"], p64(len(body)), body]
        if record["blob"] is not None:
            parts += [BLOB_MARKER, p64(len(record["blob"])), record["blob"]]
    parts.append(END_MARKER)
    return b"".join(parts)


def forge(data: bytes, type_name: str, change) -> bytes:
    """Return `data` with `change(state)` applied to every record of class `type_name`.

    `change` edits the state in place or returns a replacement.
    """
    found = records(data)
    changed = 0
    for record in found:
        if class_name(record) == type_name:
            state = state_of(record)
            replaced = change(state)
            set_state(record, state if replaced is None else replaced)
            changed += 1
    assert changed, f"no {type_name} record in the export"
    return assemble(found)


def forge_stored(storage, oid: bytes, change) -> None:
    """Rewrite the state `storage` holds for `oid` with `change(state)`, in its own transaction.

    As a record a forged import stored before objweb refused them would sit there.
    """
    data, serial = storage.load(oid)
    class_pickle, state_pickle = split_pickles(data)
    record = {"state": state_pickle}
    state = state_of(record)
    change(state)
    set_state(record, state)
    meta = TransactionMetaData()
    storage.tpc_begin(meta)
    storage.store(oid, serial, class_pickle + record["state"], "", meta)
    storage.tpc_vote(meta)
    storage.tpc_finish(meta)


def zipped(name: str, data: bytes) -> bytes:
    """Return a zip holding one export file, as the Contents tab exports several."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def raw_record(payload_state: bytes, class_pickle: bytes) -> bytes:
    """Return an export file of one record built from raw pickles."""
    body = class_pickle + payload_state
    return b"ZEXP" + p64(1) + p64(len(body)) + body + END_MARKER
