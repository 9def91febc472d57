package dev.ticketoffload.server.replay;

/** What the replay guard does when it holds its configured maximum of entries. */
public enum WhenFull {
  /**
   * Refuse to consume more tickets until entries expire: consuming opens fail with
   * {@code RESOURCE_EXHAUSTED}, peeks still work. Never lets a replay through.
   */
  REFUSE,
  /**
   * Forget the oldest segment of remembered tickets (at most 1/64 of the maximum) to make room:
   * opens keep working, and a ticket from the forgotten segment could be replayed once more.
   */
  EVICT_OLDEST;

  /** The flag spelling: {@code refuse}, {@code evict-oldest}. */
  public static WhenFull parse(String s) {
    return switch (s) {
      case "refuse" -> REFUSE;
      case "evict-oldest" -> EVICT_OLDEST;
      default -> throw new IllegalArgumentException("expected refuse or evict-oldest, got " + s);
    };
  }

  public String flagValue() {
    return this == REFUSE ? "refuse" : "evict-oldest";
  }
}
