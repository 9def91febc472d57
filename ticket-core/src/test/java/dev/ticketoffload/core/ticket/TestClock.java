package dev.ticketoffload.core.ticket;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test sets by hand. */
final class TestClock implements InstantSource {
  private volatile long millis;

  TestClock(long seconds) {
    this.millis = seconds * 1000;
  }

  void setSeconds(long seconds) {
    this.millis = seconds * 1000;
  }

  long seconds() {
    return millis / 1000;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public long millis() {
    return millis;
  }
}
