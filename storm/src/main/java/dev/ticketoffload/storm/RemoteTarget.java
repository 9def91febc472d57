package dev.ticketoffload.storm;

import java.util.List;

/** A server someone else runs: {@code --target HOST:PORT[,HOST:PORT...]}. */
record RemoteTarget(List<String> addresses) implements StormTarget {

  @Override
  public String backend() {
    return "unknown";
  }

  @Override
  public Long serverMaxHeapMb() {
    return null;
  }

  @Override
  public void close() {}
}
