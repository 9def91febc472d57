package dev.ticketoffload.server.store;

/**
 * One revocation to record: a ticket ({@code keyId}, {@code iv}), or an identity under one master
 * ({@code masterId}, its 16-byte identity key) for tickets issued up to {@code revokedAtSeconds}.
 * Kept until {@code untilSeconds}, after which nothing it covers can open anyway.
 */
public record Revocation(Kind kind, long keyId, byte[] iv, int masterId, byte[] identityKey,
    long revokedAtSeconds, long untilSeconds) {

  /** What is revoked. */
  public enum Kind { TICKET, IDENTITY }

  public static Revocation ofTicket(long keyId, byte[] iv, long revokedAtSeconds, long untilSeconds) {
    return new Revocation(Kind.TICKET, keyId, iv, 0, null, revokedAtSeconds, untilSeconds);
  }

  public static Revocation ofIdentity(int masterId, byte[] identityKey, long revokedAtSeconds, long untilSeconds) {
    return new Revocation(Kind.IDENTITY, 0, null, masterId, identityKey, revokedAtSeconds, untilSeconds);
  }

  byte[] key(byte[] realmTag) {
    return kind == Kind.TICKET ? StoreKeys.revokedTicket(realmTag, keyId, iv, 0)
        : StoreKeys.revokedIdentity(realmTag, masterId, identityKey, 0);
  }

  @Override
  public String toString() {
    return "Revocation[" + kind + ", revoked_at=" + revokedAtSeconds + ", until=" + untilSeconds + "]";
  }
}
