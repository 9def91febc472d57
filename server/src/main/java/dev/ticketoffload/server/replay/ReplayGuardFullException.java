package dev.ticketoffload.server.replay;

/** A consume found the replay guard full in refuse mode without a reservation. */
public final class ReplayGuardFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReplayGuardFullException(long maxEntries) {
    super("replay guard is full (replay-guard-max-entries = " + maxEntries + ")");
  }
}
