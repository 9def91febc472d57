package dev.ticketoffload.storm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ticketd storm --instances K}: K {@code ticketd serve} child JVMs on one key ring (a
 * throwaway file the first one creates) and one store ({@code --store redis}: a throwaway
 * redis-server; or the caller's {@code redis://...}). The gateways' clients spread over all K with
 * {@code round_robin}; {@link #killOne} SIGKILLs one of them mid-storm.
 */
final class FleetTarget implements StormTarget {

  private final List<ChildProcessTarget> instances = new ArrayList<>();
  private final ThrowawayRedis redis;
  private final Path keyRingDir;
  private final String store;
  private volatile int killed = -1;

  FleetTarget(int k, String store, String heap, List<String> serverArgs) throws IOException, InterruptedException {
    this.redis = store.equals("redis") ? new ThrowawayRedis() : null;
    this.store = redis != null ? redis.url() : store;
    this.keyRingDir = TempDirs.create("ticketd-storm-fleet-");
    try {
      List<String> args = new ArrayList<>(serverArgs);
      if (!args.contains("--key-ring")) { // else the storm made one (--ticket-mode reference)
        args.addAll(List.of("--key-ring", keyRingDir.resolve("keyring.json").toString()));
      }
      args.addAll(List.of("--store", this.store));
      for (int i = 0; i < k; i++) { // one after another: the first creates the key ring the others load
        instances.add(new ChildProcessTarget(heap, args));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The store as the report names it (a throwaway Redis shows as its URL). */
  String store() {
    return store;
  }

  /** Redis's {@code used_memory} when the storm started it, else -1. */
  long storeUsedMemoryBytes() {
    return redis == null ? -1 : redis.usedMemoryBytes();
  }

  @Override
  public List<ProcessHandle> serverProcesses() {
    return instances.stream().flatMap(t -> t.serverProcesses().stream()).toList();
  }

  @Override
  public List<ProcessHandle> storeProcesses() {
    return redis == null ? List.of() : List.of(redis.handle());
  }

  @Override
  public boolean killOne() {
    if (killed >= 0 || instances.size() < 2) {
      return false;
    }
    killed = instances.size() - 1;
    instances.get(killed).kill();
    return true;
  }

  /** Whether every instance not killed on purpose is still running. */
  boolean survivorsAlive() {
    for (int i = 0; i < instances.size(); i++) {
      if (i != killed && !instances.get(i).alive()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<String> addresses() {
    return instances.stream().flatMap(t -> t.addresses().stream()).toList();
  }

  @Override
  public String backend() {
    return instances.isEmpty() ? "unknown" : instances.get(0).backend();
  }

  @Override
  public Long serverMaxHeapMb() {
    return instances.isEmpty() ? null : instances.get(0).serverMaxHeapMb();
  }

  @Override
  public void close() {
    instances.forEach(ChildProcessTarget::close);
    if (redis != null) {
      redis.close();
    }
    try {
      TempDirs.delete(keyRingDir);
    } catch (IOException e) {
      System.err.println("storm: could not delete " + keyRingDir + ": " + e.getMessage());
    }
  }
}
