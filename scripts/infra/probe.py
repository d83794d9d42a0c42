#!/usr/bin/env python3
"""Readiness probes for the local infra, using the Python standard library only.

Why not kafka-topics / mongosh / npm clients: up.sh runs before `npm ci`, the
Kafka jars we fetch do not include the CLI tools, and a JVM-based check costs
1-2 s of startup per attempt. An open TCP port is not enough either (Kafka
accepts connections before the broker is unfenced), so each probe sends a real
protocol request and checks the answer.

Usage:
  probe.py kafka HOST PORT   # Metadata, FindCoordinator, DescribeGroups, InitProducerId:
                             # ready when a live broker exists, the group and transaction
                             # coordinators answer and producer ids can be allocated
  probe.py mongo HOST PORT   # OP_MSG {ping: 1, $db: "admin"}; ready when ok == 1

Exit status 0 = ready; 1 = answered but not ready / unexpected answer;
2 = could not connect or no answer. One line on stdout says what was seen.
"""

import socket
import struct
import sys

TIMEOUT_S = 3.0


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by peer")
        buf += chunk
    return bytes(buf)


# --------------------------------------------------------------------------- Kafka

KAFKA_ERRORS = {14: "COORDINATOR_LOAD_IN_PROGRESS", 15: "COORDINATOR_NOT_AVAILABLE", 16: "NOT_COORDINATOR"}
PROBE_ID = "kairos-infra-probe"


class _Reader:
    def __init__(self, buf):
        self.buf, self.off = buf, 0

    def take(self, fmt):
        vals = struct.unpack_from(fmt, self.buf, self.off)
        self.off += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    def string(self, nullable=False):
        n = self.take(">h")
        if n < 0:
            if nullable:
                return None
            raise ValueError("unexpected null string")
        s = self.buf[self.off:self.off + n].decode("utf-8", "replace")
        self.off += n
        return s


def _kstr(s):
    b = s.encode("utf-8")
    return struct.pack(">h", len(b)) + b


def _kafka_call(sock, api_key, api_version, body, _corr=[0x4B00]):
    """One request/response with a non-flexible (v0/v1) header."""
    _corr[0] += 1
    corr = _corr[0]
    payload = struct.pack(">hhi", api_key, api_version, corr) + _kstr(PROBE_ID) + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    r = _Reader(_recv_exact(sock, size))
    if r.take(">i") != corr:
        raise ValueError("bad correlation id")
    return r


def probe_kafka(host, port):
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as s:
        s.settimeout(TIMEOUT_S)

        # 1. Metadata v4 (non-flexible; Kafka 4 removed only v0-v3 in KIP-896) with an
        #    empty topic list: lists live brokers only. In KRaft a broker shows up
        #    there once it is unfenced, i.e. really able to serve.
        r = _kafka_call(s, 3, 4, struct.pack(">i?", 0, False))
        r.take(">i")  # throttle_time_ms
        brokers = []
        for _ in range(r.take(">i")):
            node_id, bhost, bport = r.take(">i"), r.string(), r.take(">i")
            r.string(nullable=True)  # rack
            brokers.append(f"{node_id}@{bhost}:{bport}")
        cluster_id = r.string(nullable=True)
        if not brokers:
            return 1, "kafka: answered, but no live (unfenced) broker yet"

        # 2. Group and transaction coordinators. On a fresh cluster the first
        #    FindCoordinator creates __consumer_offsets / __transaction_state, and
        #    after a restart their partitions must be loaded again; until then
        #    clients get COORDINATOR_NOT_AVAILABLE / LOAD_IN_PROGRESS and kafkajs
        #    logs errors and retries. Waiting here makes "ready" mean "a consumer
        #    group can join and a transactional producer can init right now".
        for key_type, what in ((0, "group"), (1, "transaction")):
            r = _kafka_call(s, 10, 1, _kstr(PROBE_ID) + struct.pack(">b", key_type))
            r.take(">i")  # throttle_time_ms
            err = r.take(">h")
            if err != 0:
                return 1, f"kafka: broker up, {what} coordinator not ready ({KAFKA_ERRORS.get(err, err)})"

        # 3. DescribeGroups v1 answers LOAD_IN_PROGRESS until the offsets partition
        #    owning the probe group is loaded (single node: we are the coordinator).
        r = _kafka_call(s, 15, 1, struct.pack(">i", 1) + _kstr(PROBE_ID))
        r.take(">i")  # throttle_time_ms
        if r.take(">i") < 1:
            return 1, "kafka: DescribeGroups returned no group"
        err = r.take(">h")
        if err != 0:
            return 1, f"kafka: group coordinator still loading ({KAFKA_ERRORS.get(err, err)})"

        # 4. InitProducerId v1 without a transactional id (what an idempotent
        #    producer sends first). After each broker start the first call answers
        #    LOAD_IN_PROGRESS until a block of producer ids is fetched from the
        #    controller. Costs one producer id per probe; harmless.
        r = _kafka_call(s, 22, 1, struct.pack(">hi", -1, 60000))
        r.take(">i")  # throttle_time_ms
        err = r.take(">h")
        if err != 0:
            return 1, f"kafka: producer id allocation not ready ({KAFKA_ERRORS.get(err, err)})"

    return 0, f"kafka: ready cluster={cluster_id} brokers={','.join(brokers)}"


# --------------------------------------------------------------------------- MongoDB wire protocol


def _bson_cstring(s):
    return s.encode("utf-8") + b"\x00"


def _bson_ping_doc():
    elems = b"\x10" + _bson_cstring("ping") + struct.pack("<i", 1)
    db = b"admin\x00"
    elems += b"\x02" + _bson_cstring("$db") + struct.pack("<i", len(db)) + db
    return struct.pack("<i", 4 + len(elems) + 1) + elems + b"\x00"


def _bson_top_level(doc):
    """Decode top-level scalar fields of a BSON document (enough to read `ok`/`errmsg`)."""
    out = {}
    off = 4
    end = struct.unpack_from("<i", doc, 0)[0] - 1
    while off < end:
        t = doc[off]
        off += 1
        nul = doc.index(b"\x00", off)
        name = doc[off:nul].decode("utf-8", "replace")
        off = nul + 1
        if t == 0x01:  # double
            out[name] = struct.unpack_from("<d", doc, off)[0]
            off += 8
        elif t in (0x02, 0x0D, 0x0E):  # string, js code, symbol
            n = struct.unpack_from("<i", doc, off)[0]
            out[name] = doc[off + 4:off + 4 + n - 1].decode("utf-8", "replace")
            off += 4 + n
        elif t in (0x03, 0x04, 0x0F):  # document, array, code_w_scope
            off += struct.unpack_from("<i", doc, off)[0]
        elif t == 0x05:  # binary
            off += 4 + 1 + struct.unpack_from("<i", doc, off)[0]
        elif t in (0x06, 0x0A, 0xFF, 0x7F):  # undefined, null, min/max key
            out[name] = None
        elif t == 0x07:  # ObjectId
            off += 12
        elif t == 0x08:  # bool
            out[name] = doc[off] != 0
            off += 1
        elif t in (0x09, 0x11, 0x12):  # datetime, timestamp, int64
            out[name] = struct.unpack_from("<q", doc, off)[0]
            off += 8
        elif t == 0x0B:  # regex: two cstrings
            off = doc.index(b"\x00", doc.index(b"\x00", off) + 1) + 1
        elif t == 0x10:  # int32
            out[name] = struct.unpack_from("<i", doc, off)[0]
            off += 4
        elif t == 0x13:  # decimal128
            off += 16
        else:
            raise ValueError(f"unsupported BSON type 0x{t:02x}")
    return out


def probe_mongo(host, port):
    OP_MSG = 2013
    body = struct.pack("<I", 0) + b"\x00" + _bson_ping_doc()  # flagBits, section kind 0
    request_id = 0x4B41
    msg = struct.pack("<iiii", 16 + len(body), request_id, 0, OP_MSG) + body
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as s:
        s.settimeout(TIMEOUT_S)
        s.sendall(msg)
        length, _rid, response_to, opcode = struct.unpack("<iiii", _recv_exact(s, 16))
        rest = _recv_exact(s, length - 16)
    if opcode != OP_MSG or response_to != request_id:
        return 1, f"mongo: unexpected reply opcode={opcode} responseTo={response_to}"
    if rest[4] != 0:
        return 1, f"mongo: unexpected OP_MSG section kind {rest[4]}"
    fields = _bson_top_level(rest[5:])
    if fields.get("ok") in (1, 1.0, True):
        return 0, "mongo: ready (ping ok)"
    return 1, f"mongo: ping not ok: {fields.get('errmsg', fields)}"


def main(argv):
    if len(argv) != 4 or argv[1] not in ("kafka", "mongo"):
        print(__doc__.strip(), file=sys.stderr)
        return 64
    kind, host, port = argv[1], argv[2], int(argv[3])
    try:
        code, msg = (probe_kafka if kind == "kafka" else probe_mongo)(host, port)
    except (OSError, ConnectionError) as e:
        code, msg = 2, f"{kind}: no answer on {host}:{port}: {e}"
    except (ValueError, struct.error, IndexError) as e:
        code, msg = 1, f"{kind}: unparseable answer on {host}:{port}: {e}"
    print(msg)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
