package dev.ticketoffload.core.ticket;

/**
 * Remembers consumed tickets so each opens once. Only authenticated, unexpired tickets reach it, so
 * garbage cannot fill it. Implementations are thread-safe (the server's lives in the server module).
 */
public interface SingleUseGuard {

  /**
   * Records {@code key_id || iv} until {@code expiresAtSeconds}.
   *
   * @return {@code true} the first time, {@code false} when it was recorded before
   */
  boolean firstUse(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds);

  /**
   * Records {@code count} tickets in order; {@code firstUse[i]} receives what {@link #firstUse} gives
   * for item {@code i}. The opener calls this once per batch, so an implementation may lock once and
   * overlap its memory accesses.
   */
  default void firstUseAll(int count, long[] keyIds, byte[][] ivs, int[] ivOffsets, long[] expiresAtSeconds,
      boolean[] firstUse) {
    for (int i = 0; i < count; i++) {
      firstUse[i] = firstUse(keyIds[i], ivs[i], ivOffsets[i], expiresAtSeconds[i]);
    }
  }

  /** A guard that remembers nothing: every ticket may open any number of times. */
  SingleUseGuard NONE = (keyId, iv, ivOffset, expiresAtSeconds) -> true;
}
