package dev.ticketoffload.server.testing;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
public final class MutableClock implements InstantSource {

  private volatile long seconds;

  public MutableClock(long seconds) {
    this.seconds = seconds;
  }

  public void set(long seconds) {
    this.seconds = seconds;
  }

  public void advance(long by) {
    seconds += by;
  }

  public long seconds() {
    return seconds;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(seconds);
  }
}
