package dev.ticketoffload.server.store;

import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.keys.IdentityKeyDerivation;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.StoreLookups;

/**
 * The store keys of tickets by reference and of revocations, binary and short, beside the consume
 * keys of tickets by value in {@link RedisKeys} (which start with {@code 't'}):
 *
 * <pre>
 * record               slot_tag (6) || 's' || realm_tag (4) || id (16)    value: the record (docs/ticket-format.md)
 * consumed by ref.     slot_tag (6) || 'c' || realm_tag (4) || id (16)    value: as RedisKeys#value
 * revoked by ref.      slot_tag (6) || 'r' || realm_tag (4) || id (16)    value: revoked_at (u64)
 * revoked ticket       'x' || realm_tag (4) || key_id (8) || iv (12)          value: revoked_at (u64)
 * revoked identity     'i' || realm_tag (4) || master_id (2) || identity (16) value: revoked_at (u64)
 * identity's index     'n' || realm_tag (4) || master_id (2) || identity (16) sorted set: id, score expires_at + skew
 *
 * slot_tag = '{' || hex(id[0]) || hex(id[1]) || '}'    (6 ASCII bytes, lower-case hex)
 * </pre>
 *
 * {@code realm_tag} is {@link RedisKeys#realmTag}; {@code identity} the keyed hash of the IDi
 * (IdentityKeyDerivation), so the store never holds an identity in clear. The three keys of a ticket
 * by reference share one Redis Cluster hash slot, so one script can consume it, fetch its record and
 * check its revocation atomically: their hash tag is exact because the key's first byte is the
 * {@code '{'} (Redis hashes from the first {@code '{'}) and hex digits never contain the {@code '}'}
 * that closes it, whatever bytes follow. 65,536 tags spread them over all 16,384 slots. The other keys
 * carry no tag on purpose: a tag found in them by accident only moves them to another slot, and their
 * commands touch one key each.
 */
final class StoreKeys {

  static final int SLOT_TAG_BYTES = 6;
  static final int RECORD_KEY_BYTES = SLOT_TAG_BYTES + 1 + 4 + ReferenceFormat.ID_SIZE_IN_BYTES;
  static final int TICKET_KEY_BYTES = 1 + 4 + 8 + 12;
  static final int IDENTITY_KEY_BYTES = 1 + 4 + 2 + IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES;

  private StoreKeys() {}

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static byte[] record(byte[] realmTag, byte[] id, int idOffset) {
    return byReference('s', realmTag, id, idOffset);
  }

  /** Writes the record's key into {@code key} ({@link #RECORD_KEY_BYTES} long) and returns it. */
  static byte[] record(byte[] key, byte[] realmTag, byte[] id, int idOffset) {
    return byReference(key, 's', realmTag, id, idOffset);
  }

  static byte[] consumedByReference(byte[] realmTag, byte[] id, int idOffset) {
    return byReference('c', realmTag, id, idOffset);
  }

  static byte[] revokedByReference(byte[] realmTag, byte[] id, int idOffset) {
    return byReference('r', realmTag, id, idOffset);
  }

  /** Writes the key into {@code key} ({@link #RECORD_KEY_BYTES} long) and returns it. */
  static byte[] revokedByReference(byte[] key, byte[] realmTag, byte[] id, int idOffset) {
    return byReference(key, 'r', realmTag, id, idOffset);
  }

  /** A key of ticket by reference {@code id}: its slot tag, {@code kind}, the realm tag, the id. */
  private static byte[] byReference(char kind, byte[] realmTag, byte[] id, int idOffset) {
    return byReference(new byte[RECORD_KEY_BYTES], kind, realmTag, id, idOffset);
  }

  private static byte[] byReference(byte[] key, char kind, byte[] realmTag, byte[] id, int idOffset) {
    key[0] = '{';
    key[1] = HEX[(id[idOffset] >> 4) & 0xF];
    key[2] = HEX[id[idOffset] & 0xF];
    key[3] = HEX[(id[idOffset + 1] >> 4) & 0xF];
    key[4] = HEX[id[idOffset + 1] & 0xF];
    key[5] = '}';
    key[6] = (byte) kind;
    System.arraycopy(realmTag, 0, key, 7, 4);
    System.arraycopy(id, idOffset, key, 11, ReferenceFormat.ID_SIZE_IN_BYTES);
    return key;
  }

  static byte[] revokedTicket(byte[] realmTag, long keyId, byte[] iv, int ivOffset) {
    return revokedTicket(new byte[TICKET_KEY_BYTES], realmTag, keyId, iv, ivOffset);
  }

  /** Writes the key into {@code key} ({@link #TICKET_KEY_BYTES} long) and returns it. */
  static byte[] revokedTicket(byte[] key, byte[] realmTag, long keyId, byte[] iv, int ivOffset) {
    key[0] = 'x';
    System.arraycopy(realmTag, 0, key, 1, 4);
    Bytes.putLong(key, 5, keyId);
    System.arraycopy(iv, ivOffset, key, 13, 12);
    return key;
  }

  static byte[] revokedIdentity(byte[] realmTag, int masterId, byte[] identity, int offset) {
    return ofIdentity('i', realmTag, masterId, identity, offset);
  }

  /** The index of the ids of tickets by reference sealed for an identity under one master. */
  static byte[] identityIndex(byte[] realmTag, int masterId, byte[] identity, int offset) {
    return ofIdentity('n', realmTag, masterId, identity, offset);
  }

  /** The index that ticket {@code s} by reference joins at seal: its identity under its sealing master. */
  static byte[] identityIndex(byte[] realmTag, SealedReference s) {
    int masterId = (int) (TicketFormat.readKeyId(s.ticket(), 0) >>> 48);
    return identityIndex(realmTag, masterId, s.identityKey(), 0);
  }

  private static byte[] ofIdentity(char kind, byte[] realmTag, int masterId, byte[] identity, int offset) {
    return ofIdentity(new byte[IDENTITY_KEY_BYTES], kind, realmTag, masterId, identity, offset);
  }

  private static byte[] ofIdentity(byte[] key, char kind, byte[] realmTag, int masterId, byte[] identity,
      int offset) {
    key[0] = (byte) kind;
    System.arraycopy(realmTag, 0, key, 1, 4);
    Bytes.putShort(key, 5, masterId);
    System.arraycopy(identity, offset, key, 7, IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES);
    return key;
  }

  static byte[] revokedIdentity(byte[] realmTag, StoreLookups lookups, int j) {
    return revokedIdentity(new byte[IDENTITY_KEY_BYTES], realmTag, lookups, j);
  }

  /** Writes the key into {@code key} ({@link #IDENTITY_KEY_BYTES} long) and returns it. */
  static byte[] revokedIdentity(byte[] key, byte[] realmTag, StoreLookups lookups, int j) {
    return ofIdentity(key, 'i', realmTag, (int) (lookups.keyId(j) >>> 48), lookups.identityKeys(),
        lookups.identityKeyOffset(j));
  }

  static byte[] revokedAt(long seconds) {
    byte[] v = new byte[8];
    Bytes.putLong(v, 0, seconds);
    return v;
  }

  /** Whether a revoked-at value found for an identity covers a ticket issued at {@code issuedAt}. */
  static boolean covers(byte[] revokedAt, long issuedAtSeconds) {
    return revokedAt != null && revokedAt.length == 8 && issuedAtSeconds <= Bytes.getLong(revokedAt, 0);
  }
}
