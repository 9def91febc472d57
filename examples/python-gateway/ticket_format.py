"""Ticket format v1, implemented from docs/ticket-format.md alone with the `cryptography`
package: an independent check of the published vectors (and of the document), not a port of the
Java code. Only the offline format: no store, so no REPLAYED."""
import math
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HEADER_BYTES, IV_BYTES, TAG_BYTES = 24, 12, 16
MIN_STATE_BYTES = 47
MIN_TICKET_BYTES = HEADER_BYTES + MIN_STATE_BYTES + TAG_BYTES  # 87
SALT = b"ticket-offload/v1"


def key_id(master_id, epoch):
    return struct.pack(">H", master_id) + epoch.to_bytes(6, "big")


def epoch_key(master_secret, realm, kid):
    r = realm.encode("utf-8")
    return HKDF(hashes.SHA256(), 32, SALT, bytes([len(r)]) + r + kid).derive(master_secret)


def encode_state(s):
    """s: dict with issued_at, expires_at, spi_i, spi_r, auth_method, flags, sk_d, id_i, id_r, sa_r, ext (bytes)."""
    return (struct.pack(">QQ", s["issued_at"], s["expires_at"]) + s["spi_i"] + s["spi_r"]
            + bytes([s["auth_method"], s["flags"], len(s["sk_d"])]) + s["sk_d"]
            + b"".join(struct.pack(">H", len(s[f])) + s[f] for f in ("id_i", "id_r", "sa_r", "ext")))


def decode_state(b):
    """The state, or None when it is MALFORMED (a length out of range, a reserved flag, trailing bytes)."""
    try:
        issued_at, expires_at = struct.unpack_from(">QQ", b, 0)
        s = {"issued_at": issued_at, "expires_at": expires_at, "spi_i": b[16:24], "spi_r": b[24:32],
             "auth_method": b[32], "flags": b[33]}
        n, at = b[34], 35
        if not 1 <= n <= 64 or b[33] & 0xFE:
            return None
        s["sk_d"], at = b[at:at + n], at + n
        for f, lo in (("id_i", 1), ("id_r", 1), ("sa_r", 1), ("ext", 0)):
            (n,) = struct.unpack_from(">H", b, at)
            if not lo <= n <= 1024 or at + 2 + n > len(b):
                return None
            s[f], at = b[at + 2:at + 2 + n], at + 2 + n
        return s if at == len(b) and len(s["sk_d"]) == b[34] else None
    except (struct.error, IndexError):
        return None


class Realm:
    """One realm of a key ring: name, masters {id: secret} that may open, the primary, epoch and lifetime."""

    def __init__(self, name, masters, primary_id, epoch_seconds=3600, max_lifetime_seconds=86400, skew_seconds=0,
                 max_ticket_bytes=2048):
        self.name, self.masters, self.primary_id = name, masters, primary_id
        self.epoch_seconds, self.max_lifetime_seconds = epoch_seconds, max_lifetime_seconds
        self.skew_seconds, self.max_ticket_bytes = skew_seconds, max_ticket_bytes

    def seal(self, state, iv, now):
        kid = key_id(self.primary_id, now // self.epoch_seconds)
        header = b"\x01\x00\x00\x00" + kid + iv
        return header + AESGCM(epoch_key(self.masters[self.primary_id], self.name, kid)).encrypt(
            iv, encode_state(state), header)

    def open(self, ticket, now):
        """(outcome, state or None), the checks in the document's order; REPLAYED needs a store."""
        if not MIN_TICKET_BYTES <= len(ticket) <= self.max_ticket_bytes:
            return "MALFORMED", None
        if ticket[0] != 1:
            return "UNSUPPORTED_VERSION", None
        kid = ticket[4:12]
        master_id, epoch = struct.unpack(">H", kid[:2])[0], int.from_bytes(kid[2:], "big")
        now_epoch = now // self.epoch_seconds
        oldest = now_epoch - math.ceil(self.max_lifetime_seconds / self.epoch_seconds) - 1
        if master_id not in self.masters or not oldest <= epoch <= now_epoch + 1:
            return "UNKNOWN_KEY", None
        try:
            plain = AESGCM(epoch_key(self.masters[master_id], self.name, kid)).decrypt(
                ticket[12:24], ticket[24:], ticket[:24])
        except InvalidTag:
            return "AUTH_FAILED", None
        state = decode_state(plain)
        if state is None:
            return "MALFORMED", None
        if now >= state["expires_at"] + self.skew_seconds:
            return "EXPIRED", state
        return "OK", state
