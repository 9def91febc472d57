package dev.ticketoffload.core.keys;

import dev.ticketoffload.core.aead.AeadBackend;
import java.util.HashMap;
import java.util.Map;

/**
 * The key ring in force and the epoch keys derived from it, per realm. {@link #update} swaps in a new
 * key ring (a reload) while keys that did not change stay cached; what left is released after a grace
 * period. Lookups never lock.
 */
public final class KeySchedule implements AutoCloseable {

  private final AeadBackend backend;
  private final Graveyard graveyard;
  private volatile KeyRing ring;
  private volatile Map<String, RealmKeys> realms;

  public KeySchedule(AeadBackend backend, KeyRing ring) {
    this(backend, ring, Graveyard.GRACE_NANOS);
  }

  /** With another grace period for retired keys: for tests. */
  KeySchedule(AeadBackend backend, KeyRing ring, long graceNanos) {
    this.graveyard = new Graveyard(graceNanos);
    this.backend = backend;
    this.ring = ring;
    Map<String, RealmKeys> byName = new HashMap<>();
    for (RealmConfig r : ring.realms()) {
      byName.put(r.name(), new RealmKeys(r, backend, graveyard, new EpochKey[0]));
    }
    this.realms = Map.copyOf(byName);
  }

  public AeadBackend backend() {
    return backend;
  }

  public KeyRing keyRing() {
    return ring;
  }

  /** @return the realm's keys, or {@code null} when the key ring has no such realm */
  public RealmKeys realm(String name) {
    return realms.get(name);
  }

  /** Puts {@code next} in force; keys derived from unchanged masters survive. */
  public synchronized void update(KeyRing next) {
    Map<String, RealmKeys> old = realms;
    Map<String, RealmKeys> byName = new HashMap<>();
    for (RealmConfig r : next.realms()) {
      RealmKeys before = old.get(r.name());
      EpochKey[] kept = before == null ? new EpochKey[0] : before.keysStillValidIn(r);
      byName.put(r.name(), new RealmKeys(r, backend, graveyard, kept));
    }
    for (Map.Entry<String, RealmKeys> e : old.entrySet()) {
      RealmKeys after = byName.get(e.getKey());
      e.getValue().retireAllBut(after == null ? new EpochKey[0] : after.cachedKeys().toArray(EpochKey[]::new));
    }
    KeyRing previous = ring;
    realms = Map.copyOf(byName);
    ring = next;
    graveyard.bury(() -> destroyMastersNotIn(previous, next));
    graveyard.sweep();
  }

  /** Zeroes the secrets of {@code previous} unless {@code next} still holds the same objects. */
  private static void destroyMastersNotIn(KeyRing previous, KeyRing next) {
    java.util.Set<MasterSecret> inForce = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    next.realms().forEach(r -> inForce.addAll(r.masters()));
    previous.realms().forEach(r -> r.masters().stream().filter(m -> !inForce.contains(m))
        .forEach(MasterSecret::destroy));
  }

  /** Releases keys that left service more than a grace period ago; call now and then. */
  public void maintain() {
    graveyard.sweep();
  }

  /** Releases every key; only when no thread seals or opens any more. */
  @Override
  public synchronized void close() {
    realms.values().forEach(RealmKeys::closeAll);
    graveyard.releaseAll();
    ring.destroy();
  }
}
