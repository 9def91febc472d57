package dev.ticketoffload.core.keys;

import java.time.Instant;
import java.util.Arrays;

/**
 * One master secret of a realm: 32 random bytes, never printed. Reading the bytes is an explicit act
 * ({@link #secretBytes()}); {@link #destroy()} zeroes them.
 */
public final class MasterSecret {

  public static final int SECRET_SIZE_IN_BYTES = 32;

  private final int id;
  private final MasterState state;
  private final byte[] secret;
  private final Instant createdAt;

  public MasterSecret(int id, MasterState state, byte[] secret, Instant createdAt) {
    if (id < 0 || id > 0xFFFF) {
      throw new IllegalArgumentException("master id must be 0..65535, got " + id);
    }
    if (secret.length != SECRET_SIZE_IN_BYTES) {
      throw new IllegalArgumentException("a master secret is 32 bytes, got " + secret.length);
    }
    this.id = id;
    this.state = state;
    this.secret = secret.clone();
    this.createdAt = createdAt;
  }

  public int id() { return id; }
  public MasterState state() { return state; }
  public Instant createdAt() { return createdAt; }

  /** The secret itself (a copy the caller must wipe). Never log it. */
  public byte[] secretBytes() {
    return secret.clone();
  }

  /** The same secret under another state (rotation, retirement). */
  public MasterSecret withState(MasterState newState) {
    return new MasterSecret(id, newState, secret, createdAt);
  }

  boolean sameSecretAs(MasterSecret other) {
    return java.security.MessageDigest.isEqual(secret, other.secret);
  }

  /** Zeroes the secret. */
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
  }

  @Override
  public String toString() {
    return "MasterSecret[id=" + id + ", state=" + state.jsonName() + ", created_at=" + createdAt
        + ", secret=(hidden)]";
  }
}
