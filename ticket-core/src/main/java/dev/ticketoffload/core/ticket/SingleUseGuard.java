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

  /** A guard that remembers nothing: every ticket may open any number of times. */
  SingleUseGuard NONE = (keyId, iv, ivOffset, expiresAtSeconds) -> true;
}
