package dev.ticketoffload.server.store;

/**
 * A store refused a batch as a whole, before any of its tickets was consumed: the caller answers the
 * call {@code RESOURCE_EXHAUSTED} ({@link Reason#QUOTA}) or {@code UNAVAILABLE} ({@link Reason#DOWN}),
 * with a retry pushback either way. The message names the limit or the problem, never a secret.
 */
public final class StoreRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why: the realm is full, or the store cannot answer. */
  public enum Reason { QUOTA, DOWN }

  private final Reason reason;

  public StoreRefusedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
