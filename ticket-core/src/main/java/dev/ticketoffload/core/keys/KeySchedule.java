package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.KeyClosedException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key ring in force and the epoch keys derived from it, per realm. {@link #update} swaps in a new
 * key ring (a reload) while keys that did not change stay cached. Lookups never lock.
 *
 * <p>Nothing is freed under a batch: the keys a lookup returns are leased ({@link EpochKey}), and a
 * key that left service is closed when its last lease is released. The master secrets of a replaced
 * key ring are wiped as soon as no realm version can derive from them any more, which
 * {@link RealmKeys#retire} guarantees before {@link #update} returns.
 */
public final class KeySchedule implements AutoCloseable {

  private final AeadBackend backend;
  private volatile KeyRing ring;
  private volatile Map<String, RealmKeys> realms;
  private volatile boolean closed;

  public KeySchedule(AeadBackend backend, KeyRing ring) {
    this.backend = backend;
    this.ring = ring;
    Map<String, RealmKeys> byName = new HashMap<>();
    for (RealmConfig r : ring.realms()) {
      byName.put(r.name(), new RealmKeys(r, backend, new EpochKey[0]));
    }
    this.realms = Map.copyOf(byName);
  }

  public AeadBackend backend() {
    return backend;
  }

  public KeyRing keyRing() {
    return ring;
  }

  /**
   * @return the realm's keys, or {@code null} when the key ring has no such realm
   * @throws KeyClosedException after {@link #close()}
   */
  public RealmKeys realm(String name) {
    if (closed) {
      throw new KeyClosedException("the key schedule");
    }
    return realms.get(name);
  }

  /** Puts {@code next} in force; keys derived from unchanged masters survive. */
  public synchronized void update(KeyRing next) {
    if (closed) {
      throw new KeyClosedException("the key schedule");
    }
    Map<String, RealmKeys> old = realms;
    Map<String, RealmKeys> byName = new HashMap<>();
    Map<String, EpochKey[]> keptByName = new HashMap<>();
    for (RealmConfig r : next.realms()) {
      RealmKeys before = old.get(r.name());
      EpochKey[] kept = before == null ? new EpochKey[0] : before.keysStillValidIn(r);
      keptByName.put(r.name(), kept);
      byName.put(r.name(), new RealmKeys(r, backend, kept));
    }
    // Retire the old versions first: a thread still holding one is sent on to its successor.
    for (Map.Entry<String, RealmKeys> e : old.entrySet()) {
      e.getValue().retire(byName.get(e.getKey()), keptByName.getOrDefault(e.getKey(), new EpochKey[0]));
    }
    KeyRing previous = ring;
    realms = Map.copyOf(byName);
    ring = next;
    destroyMastersNotIn(previous, next); // no retired version derives any more
  }

  /** Zeroes the secrets of {@code previous} unless {@code next} still holds the same objects. */
  private static void destroyMastersNotIn(KeyRing previous, KeyRing next) {
    Set<MasterSecret> inForce = Collections.newSetFromMap(new IdentityHashMap<>());
    next.realms().forEach(r -> inForce.addAll(r.masters()));
    previous.realms().forEach(r -> r.masters().stream().filter(m -> !inForce.contains(m))
        .forEach(MasterSecret::destroy));
  }

  /**
   * Takes every key out of service and wipes the master secrets. Safe while batches still run: a
   * batch holding a key finishes with it, and the key is freed when that batch releases it; lookups
   * from now on throw {@link KeyClosedException}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    realms.values().forEach(RealmKeys::close);
    ring.destroy();
  }
}
