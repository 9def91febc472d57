package dev.ticketoffload.storm;

import java.util.List;

/** The server a storm runs against, and what is known about it. */
interface StormTarget extends AutoCloseable {

  /** {@code host:port} of each server instance; the gateways spread calls over all of them. */
  List<String> addresses();

  /** The AES-GCM backend the server uses, or {@code "unknown"}. */
  String backend();

  /** The server JVM's maximum heap in MB, or null when not known (a remote server). */
  Long serverMaxHeapMb();

  /** The server processes this storm started, for their CPU ({@link CpuUse}); empty when not separate. */
  default List<ProcessHandle> serverProcesses() {
    return List.of();
  }

  /** The store process this storm started ({@code --store redis}); empty when none. */
  default List<ProcessHandle> storeProcesses() {
    return List.of();
  }

  /** SIGKILLs one server instance ({@code --kill-one-at}); false when this target cannot. */
  default boolean killOne() {
    return false;
  }

  @Override
  void close();
}
