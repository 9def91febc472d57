package dev.ticketoffload.server.store;

/**
 * One revocation to record: a ticket by value ({@code keyId}, {@code iv}), a ticket by reference (its
 * 16-byte {@code id}), or an identity under one master ({@code masterId}, its 16-byte identity key)
 * for tickets issued up to {@code revokedAtSeconds}. Kept until {@code untilSeconds}, after which
 * nothing it covers can open anyway. A store records an identity's revocation for its tickets by
 * value as is, and for its tickets by reference as one revocation of each id in the identity's index.
 */
public record Revocation(Kind kind, long keyId, byte[] iv, byte[] id, int masterId, byte[] identityKey,
    long revokedAtSeconds, long untilSeconds) {

  /** What is revoked. */
  public enum Kind { TICKET, REFERENCE, IDENTITY }

  public static Revocation ofTicket(long keyId, byte[] iv, long revokedAtSeconds, long untilSeconds) {
    return new Revocation(Kind.TICKET, keyId, iv, null, 0, null, revokedAtSeconds, untilSeconds);
  }

  /** A ticket by reference: its revocation is kept under its id, beside its record. */
  public static Revocation ofReference(byte[] id, long revokedAtSeconds, long untilSeconds) {
    return new Revocation(Kind.REFERENCE, 0, null, id, 0, null, revokedAtSeconds, untilSeconds);
  }

  public static Revocation ofIdentity(int masterId, byte[] identityKey, long revokedAtSeconds, long untilSeconds) {
    return new Revocation(Kind.IDENTITY, 0, null, null, masterId, identityKey, revokedAtSeconds, untilSeconds);
  }

  byte[] key(byte[] realmTag) {
    return switch (kind) {
      case TICKET -> StoreKeys.revokedTicket(realmTag, keyId, iv, 0);
      case REFERENCE -> StoreKeys.revokedByReference(realmTag, id, 0);
      case IDENTITY -> StoreKeys.revokedIdentity(realmTag, masterId, identityKey, 0);
    };
  }

  /** The index of the identity's tickets by reference; only for {@link Kind#IDENTITY}. */
  byte[] indexKey(byte[] realmTag) {
    return StoreKeys.identityIndex(realmTag, masterId, identityKey, 0);
  }

  @Override
  public String toString() {
    return "Revocation[" + kind + ", revoked_at=" + revokedAtSeconds + ", until=" + untilSeconds + "]";
  }
}
