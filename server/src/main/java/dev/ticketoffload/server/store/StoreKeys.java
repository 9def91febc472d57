package dev.ticketoffload.server.store;

import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.keys.IdentityKeyDerivation;
import dev.ticketoffload.core.ticket.StoreLookups;

/**
 * The store keys of tickets by reference and of revocations, binary and short, beside the consume
 * keys of {@link RedisKeys} (which start with {@code 't'}):
 *
 * <pre>
 * record               's' || realm_tag (4) || id (16)                        value: the record (docs/ticket-format.md)
 * revoked ticket       'x' || realm_tag (4) || key_id (8) || iv (12)          value: revoked_at (u64)
 * revoked identity     'i' || realm_tag (4) || master_id (2) || identity (16) value: revoked_at (u64)
 * </pre>
 *
 * {@code realm_tag} is {@link RedisKeys#realmTag}; {@code identity} the keyed hash of the IDi
 * (IdentityKeyDerivation), so the store never holds an identity in clear. No hash tags: random ids and
 * IVs spread the keys over all Cluster slots.
 */
final class StoreKeys {

  static final int RECORD_KEY_BYTES = 1 + 4 + ReferenceFormat.ID_SIZE_IN_BYTES;
  static final int TICKET_KEY_BYTES = 1 + 4 + 8 + 12;
  static final int IDENTITY_KEY_BYTES = 1 + 4 + 2 + IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES;

  private StoreKeys() {}

  static byte[] record(byte[] realmTag, byte[] id, int idOffset) {
    byte[] key = new byte[RECORD_KEY_BYTES];
    key[0] = 's';
    System.arraycopy(realmTag, 0, key, 1, 4);
    System.arraycopy(id, idOffset, key, 5, ReferenceFormat.ID_SIZE_IN_BYTES);
    return key;
  }

  static byte[] revokedTicket(byte[] realmTag, long keyId, byte[] iv, int ivOffset) {
    byte[] key = new byte[TICKET_KEY_BYTES];
    key[0] = 'x';
    System.arraycopy(realmTag, 0, key, 1, 4);
    Bytes.putLong(key, 5, keyId);
    System.arraycopy(iv, ivOffset, key, 13, 12);
    return key;
  }

  static byte[] revokedIdentity(byte[] realmTag, int masterId, byte[] identity, int offset) {
    byte[] key = new byte[IDENTITY_KEY_BYTES];
    key[0] = 'i';
    System.arraycopy(realmTag, 0, key, 1, 4);
    Bytes.putShort(key, 5, masterId);
    System.arraycopy(identity, offset, key, 7, IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES);
    return key;
  }

  static byte[] revokedIdentity(byte[] realmTag, StoreLookups lookups, int j) {
    return revokedIdentity(realmTag, (int) (lookups.keyId(j) >>> 48), lookups.identityKeys(),
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
