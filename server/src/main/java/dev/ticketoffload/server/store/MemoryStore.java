package dev.ticketoffload.server.store;

import dev.ticketoffload.server.replay.ReplayGuard;
import dev.ticketoffload.server.replay.Reservation;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.core.ticket.StoreLookups;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The consumed tickets of one instance, in its own memory ({@code --store memory}, the default): one
 * {@link ReplayGuard} per realm, each bounded by that realm's quota, so one realm can neither fill
 * another's room (mode refuse) nor evict another's records (mode evict-oldest).
 */
public final class MemoryStore implements ConsumeStore {

  private final WhenFull whenFull;
  private final long skewSeconds;
  private final ToLongFunction<String> quota;
  private final ConcurrentHashMap<String, ReplayGuard> realms = new ConcurrentHashMap<>();
  private final MemoryLookups lookups;

  /**
   * @param quota the most records a realm may hold ({@code max_replay_entries} from the key ring,
   *     else {@code --replay-guard-max-entries}); asked on every reservation, so a reload applies
   */
  public MemoryStore(WhenFull whenFull, long skewSeconds, ToLongFunction<String> quota) {
    this.whenFull = whenFull;
    this.skewSeconds = skewSeconds;
    this.quota = quota;
    this.lookups = new MemoryLookups(skewSeconds, quota);
  }

  @Override
  public StoreReservation reserve(String realm, int consumes, long nowSeconds) {
    ReplayGuard guard = guard(realm);
    Reservation r = guard.tryReserve(consumes, nowSeconds);
    if (r == null) {
      throw new StoreRefusedException(StoreRefusedException.Reason.QUOTA, "replay guard full: realm " + realm
          + " holds its max_replay_entries (" + guard.maxEntries() + ") in mode refuse; consuming opens "
          + "resume as remembered tickets expire (peeks still work)");
    }
    return new StoreReservation() {
      @Override
      public void consumeAll(String realm, ConsumeBatch consumes, long now) {
        r.consumeAll(realm, consumes, now);
      }

      @Override
      public boolean mayHoldRevocations(String realm) {
        return lookups.holdsRevocations(realm);
      }

      @Override
      public void lookUpAndConsume(String realm, StoreLookups batchLookups, ConsumeBatch consumes, long now) {
        lookups.lookUp(realm, batchLookups, now);
        if (consumes.size() > 0) {
          r.consumeAll(realm, consumes, now);
        }
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  @Override
  public void putRecords(String realm, SealedReference[] sealed, long nowSeconds) {
    lookups.putRecords(realm, sealed, nowSeconds);
  }

  @Override
  public void revoke(String realm, List<Revocation> revocations, long nowSeconds) {
    lookups.revoke(realm, revocations, nowSeconds);
  }

  /** Records of tickets by reference held, over all realms. */
  public long records() {
    return lookups.records();
  }

  /** Ids of tickets by reference held in identity indexes, over all realms. */
  public long indexedIds() {
    return lookups.indexed();
  }

  /** Revocations held, over all realms. */
  public long revocations() {
    return lookups.revocations();
  }

  /** The realm's table, its bound brought up to date with the key ring. */
  public ReplayGuard guard(String realm) {
    long max = quota.applyAsLong(realm);
    ReplayGuard guard = realms.computeIfAbsent(realm, r -> new ReplayGuard(max, whenFull, skewSeconds));
    if (guard.maxEntries() != max) {
      guard.setMaxEntries(max);
    }
    return guard;
  }

  public WhenFull whenFull() {
    return whenFull;
  }

  /** Records held over all realms. */
  public long size() {
    return realms.values().stream().mapToLong(ReplayGuard::size).sum();
  }

  /** Records forgotten to make room (evict-oldest) over all realms, since start. */
  public long evictedCount() {
    return realms.values().stream().mapToLong(ReplayGuard::evictedCount).sum();
  }

  /** Bytes held by every realm's IV tables. */
  public long bytesAllocated() {
    return realms.values().stream().mapToLong(ReplayGuard::bytesAllocated).sum();
  }

  @Override
  public void sweep(long nowSeconds) {
    realms.values().forEach(g -> g.dropExpired(nowSeconds));
    lookups.sweep(nowSeconds);
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public boolean up() {
    return true;
  }

  @Override
  public void close() {
    realms.clear();
    lookups.clear();
  }
}
