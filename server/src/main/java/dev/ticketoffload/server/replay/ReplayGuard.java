package dev.ticketoffload.server.replay;

import dev.ticketoffload.core.ticket.SingleUseGuard;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers consumed tickets by {@code key_id || iv} until they expire, in bounded memory: the
 * {@link SingleUseGuard} of the server's {@code TicketOpener}.
 *
 * <p>Entries are grouped by epoch key ({@code key_id}); a group is dropped as a whole once every
 * ticket in it has expired (plus the skew), which is at the latest when its epoch leaves the open
 * window. Each group is a list of {@link IvSet} segments; a global FIFO of segments gives "oldest".
 *
 * <p>The full 96-bit IV and key id are stored, not a fingerprint: a false {@code REPLAYED} needs two
 * two authentic tickets with the same key_id and the same random IV, probability at most
 * {@code live_entries / 2^96} per open (about 1.3e-22 at 10 million entries). Realms are not part
 * of the key: tickets of two realms share a key_id only by coincidence of epoch and master id, and
 * then collide only if their random IVs do, which is the same 2^-96 per pair.
 *
 * <p>In {@link WhenFull#REFUSE} mode a batch reserves room first ({@link #tryReserve}), when it is
 * admitted; the opener later records the batch's consumes through the reservation's own
 * {@link Reservation#guard() guard}, on whatever thread the batch runs.
 *
 * <p>One lock guards everything: an operation is a few tens of nanoseconds of array probing, far
 * below the GCM work of the same item, so a finer scheme would buy nothing measurable on the hot
 * path and would complicate the global bound.
 */
public final class ReplayGuard implements SingleUseGuard {

  /** Outcome of {@link #consume}. */
  public enum Result { FIRST_USE, REPLAYED, FULL }

  private final InstantSource clock;
  private final long maxEntries;
  private final WhenFull whenFull;
  private final long skewSeconds;
  private final int segmentSlots;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Long, Group> groups = new HashMap<>();
  private final ArrayDeque<Segment> oldestFirst = new ArrayDeque<>();
  private Group lastGroup;
  private int sink;
  private long size;
  private long reserved;
  private long evicted;

  private static final class Group {
    final long key;
    final List<Segment> segments = new ArrayList<>(2);
    long maxExpiresAtSeconds;

    Group(long key) {
      this.key = key;
    }
  }

  private record Segment(Group group, IvSet ivs) {}

  /**
   * @param maxEntries the most tickets remembered at once (memory: about 20-34 bytes each, see README)
   * @param skewSeconds tickets count as expired only {@code skewSeconds} after {@code expires_at}
   */
  public ReplayGuard(long maxEntries, WhenFull whenFull, long skewSeconds, InstantSource clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("replay guard max entries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.whenFull = whenFull;
    this.skewSeconds = skewSeconds;
    // A consume probes every segment of its key's group, one cache miss each, and a storm's tickets
    // nearly all share one key. In refuse mode nothing is ever evicted, so one growing table per
    // group holds the whole bound: one probe sequence per consume. Evict-oldest forgets a segment at
    // a time, so there the bound is cut into segments of ~1/64 (at most that much forgotten at once,
    // at the price of probing up to 64 tables when one key holds everything).
    long perSegment = Math.max(48, whenFull == WhenFull.REFUSE ? maxEntries : maxEntries / 64);
    this.segmentSlots = (int) Math.min(1 << 28, Long.highestOneBit(perSegment * 4 / 3 - 1) << 1);
  }

  public WhenFull whenFull() {
    return whenFull;
  }

  public long maxEntries() {
    return maxEntries;
  }

  /**
   * Reserves room for {@code n} consumes ahead of a batch, so that in {@link WhenFull#REFUSE} mode a
   * batch is refused as a whole before any of its tickets is consumed, never half-way.
   *
   * <p>The opener draws on it through {@link Reservation#guard()}; it may be taken on one thread
   * (the one that admits the batch) and used and closed on another.
   *
   * @return the reservation, or {@code null} when the guard is full (mode refuse only; in
   *     evict-oldest mode there is always room)
   */
  public Reservation tryReserve(int n) {
    if (whenFull == WhenFull.EVICT_OLDEST || n == 0) {
      return new Reservation(this, 0);
    }
    long nowSeconds = nowSeconds();
    lock.lock();
    try {
      if (size + reserved + n > maxEntries) {
        dropExpiredLocked(nowSeconds);
      }
      if (size + reserved + n > maxEntries) {
        return null;
      }
      reserved += n;
      return new Reservation(this, n);
    } finally {
      lock.unlock();
    }
  }

  void release(int n) {
    if (n == 0) {
      return;
    }
    lock.lock();
    try {
      reserved -= n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Without a reservation: the service opens through {@link Reservation#guard()} instead.
   *
   * @throws ReplayGuardFullException in refuse mode when full
   */
  @Override
  public boolean firstUse(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds) {
    return firstUse(keyId, iv, ivOffset, expiresAtSeconds, null);
  }

  @Override
  public void firstUseAll(int count, long[] keyIds, byte[][] ivs, int[] ivOffsets, long[] expiresAtSeconds,
      boolean[] firstUse) {
    firstUseAll(count, keyIds, ivs, ivOffsets, expiresAtSeconds, firstUse, null);
  }

  boolean firstUse(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds, Reservation reservation) {
    Result r = consume(keyId, iv, ivOffset, expiresAtSeconds, nowSeconds(), reservation);
    if (r == Result.FULL) {
      throw new ReplayGuardFullException(maxEntries);
    }
    return r == Result.FIRST_USE;
  }

  private long nowSeconds() {
    return Math.floorDiv(clock.millis(), 1000);
  }

  /**
   * Records the ticket {@code keyId, iv} as used unless it was used before. Only call this
   * for tickets whose tag verified and which have not expired.
   *
   * @param reservation from {@link #tryReserve}, or {@code null} (then, in refuse mode, the
   *     guard may answer {@link Result#FULL})
   */
  public Result consume(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds,
      long nowSeconds, Reservation reservation) {
    lock.lock();
    try {
      return consumeLocked(keyId, iv, ivOffset, expiresAtSeconds, nowSeconds, reservation);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@link #firstUse} for a batch, under one lock. The tables hold millions of tickets, far beyond the
   * CPU caches, so each check is a memory miss; touching every item's first slot before checking any
   * lets those misses overlap instead of queueing one after another.
   *
   * @throws ReplayGuardFullException in refuse mode when full and the reservation is used up
   */
  void firstUseAll(int count, long[] keyIds, byte[][] ivs, int[] ivOffsets, long[] expiresAtSeconds,
      boolean[] firstUse, Reservation reservation) {
    long nowSeconds = nowSeconds();
    lock.lock();
    try {
      int touched = 0;
      for (int i = 0; i < count; i++) {
        Group group = group(keyIds[i]);
        if (group != null) {
          for (Segment s : group.segments) {
            touched += s.ivs().firstSlotOf(getInt(ivs[i], ivOffsets[i]), getInt(ivs[i], ivOffsets[i] + 4));
          }
        }
      }
      sink = touched; // keeps the loads above from being optimised away
      for (int i = 0; i < count; i++) {
        Result r = consumeLocked(keyIds[i], ivs[i], ivOffsets[i], expiresAtSeconds[i], nowSeconds, reservation);
        if (r == Result.FULL) {
          throw new ReplayGuardFullException(maxEntries);
        }
        firstUse[i] = r == Result.FIRST_USE;
      }
    } finally {
      lock.unlock();
    }
  }

  private Result consumeLocked(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds,
      long nowSeconds, Reservation reservation) {
    int a = getInt(iv, ivOffset);
    int b = getInt(iv, ivOffset + 4);
    int c = getInt(iv, ivOffset + 8);
    Group group = group(keyId);
    if (group != null) {
      for (Segment s : group.segments) {
        if (s.ivs().contains(a, b, c)) {
          return Result.REPLAYED;
        }
      }
    }
    boolean usesReservation = reservation != null && reservation.take();
    if (usesReservation) {
      reserved--;
    } else if (!makeRoomLocked(nowSeconds)) {
      return Result.FULL;
    } else {
      group = group(keyId); // making room may have dropped or evicted this very group
    }
    if (group == null) {
      group = new Group(keyId);
      groups.put(keyId, group);
    }
    lastGroup = group;
    insertLocked(group, a, b, c);
    group.maxExpiresAtSeconds = Math.max(group.maxExpiresAtSeconds, expiresAtSeconds);
    return Result.FIRST_USE;
  }

  private boolean makeRoomLocked(long nowSeconds) {
    if (size + reserved < maxEntries) {
      return true;
    }
    dropExpiredLocked(nowSeconds);
    if (whenFull == WhenFull.REFUSE) {
      return size + reserved < maxEntries;
    }
    while (size + reserved >= maxEntries && !oldestFirst.isEmpty()) {
      Segment oldest = oldestFirst.pollFirst();
      oldest.group().segments.remove(oldest);
      if (oldest.group().segments.isEmpty()) {
        groups.remove(oldest.group().key);
        lastGroup = null;
      }
      size -= oldest.ivs().size();
      evicted += oldest.ivs().size();
    }
    return true;
  }

  /**
   * The group of {@code keyId}; consecutive consumes of a batch nearly always hit the last one, so
   * that is checked before the map (whoever removes a group clears {@code lastGroup}).
   */
  private Group group(long keyId) {
    Group last = lastGroup;
    if (last != null && last.key == keyId) {
      return last;
    }
    return groups.get(keyId);
  }

  private void insertLocked(Group group, int a, int b, int c) {
    Segment newest = group.segments.isEmpty() ? null : group.segments.getLast();
    if (newest == null || newest.ivs().isFull()) {
      newest = new Segment(group, new IvSet(segmentSlots));
      group.segments.add(newest);
      oldestFirst.addLast(newest);
    }
    newest.ivs().addAbsent(a, b, c);
    size++;
  }

  /** Drops every group whose tickets have all expired. Called periodically and when full. */
  public void dropExpired(long nowSeconds) {
    lock.lock();
    try {
      dropExpiredLocked(nowSeconds);
    } finally {
      lock.unlock();
    }
  }

  private void dropExpiredLocked(long nowSeconds) {
    boolean any = false;
    for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
      Group g = it.next();
      if (nowSeconds >= g.maxExpiresAtSeconds + skewSeconds) {
        it.remove();
        for (Segment s : g.segments) {
          size -= s.ivs().size();
        }
        any = true;
      }
    }
    if (any) {
      lastGroup = null;
      oldestFirst.removeIf(s -> groups.get(s.group().key) != s.group());
    }
  }

  /** IV tables held (one per group in refuse mode, up to 64 per group in evict-oldest mode). */
  int segmentCount() {
    lock.lock();
    try {
      return oldestFirst.size();
    } finally {
      lock.unlock();
    }
  }

  /** Tickets remembered now. */
  public long size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Tickets forgotten to make room (evict-oldest mode) since start. */
  public long evictedCount() {
    lock.lock();
    try {
      return evicted;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes held by the IV tables (not counting the per-group and per-segment objects). */
  public long bytesAllocated() {
    lock.lock();
    try {
      long bytes = 0;
      for (Segment s : oldestFirst) {
        bytes += s.ivs().bytesAllocated();
      }
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  private static int getInt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
  }

  @Override
  public String toString() {
    return "ReplayGuard[size=" + size() + ", max=" + maxEntries + ", whenFull=" + whenFull.flagValue() + "]";
  }
}
