package dev.ticketoffload.core.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A validated key ring: the realms, each with its masters. Immutable; secrets never printed. */
public final class KeyRing {

  public static final int FORMAT_VERSION = 1;

  private final Map<String, RealmConfig> realms;

  public KeyRing(List<RealmConfig> realms) {
    Map<String, RealmConfig> byName = new LinkedHashMap<>();
    for (RealmConfig r : realms) {
      if (byName.putIfAbsent(r.name(), r) != null) {
        throw new IllegalArgumentException("realm " + r.name() + " appears twice");
      }
    }
    this.realms = java.util.Collections.unmodifiableMap(byName);
  }

  /** @return the realm, or {@code null} when the key ring has none of that name */
  public RealmConfig realm(String name) {
    return realms.get(name);
  }

  public List<RealmConfig> realms() {
    return List.copyOf(realms.values());
  }

  /** Zeroes every master secret; the ring is unusable afterwards. */
  public void destroy() {
    realms.values().forEach(r -> r.masters().forEach(MasterSecret::destroy));
  }

  @Override
  public String toString() {
    return "KeyRing" + realms.values();
  }
}
