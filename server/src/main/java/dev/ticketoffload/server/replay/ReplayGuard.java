package dev.ticketoffload.server.replay;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.server.store.StoreRefusedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers one realm's consumed tickets by {@code key_id || iv} until they expire, in bounded memory,
 * each with the fingerprint of the attempt that consumed it: the table behind {@link MemoryStore}.
 * It never reads a clock: every call carries the batch's "now".
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
 * admitted; the opener later records the batch's consumes through that {@link Reservation}, on
 * whatever thread the batch runs.
 *
 * <p>Attempt ids are kept as a 64-bit fingerprint, not in full: a caller holding a stolen ticket
 * but not the victim's random attempt id gets {@code OK} only by guessing a fingerprint, 2^-64 per try.
 *
 * <p>One lock guards everything: an operation is a few tens of nanoseconds of array probing, far
 * below the GCM work of the same item, so a finer scheme would buy nothing measurable on the hot
 * path and would complicate the global bound.
 */
public final class ReplayGuard {

  /** Outcome of {@link #consume}. */
  public enum Result { FIRST_USE, SAME_ATTEMPT, REPLAYED, FULL }

  private volatile long maxEntries;
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
  public ReplayGuard(long maxEntries, WhenFull whenFull, long skewSeconds) {
    checkMaxEntries(maxEntries);
    this.maxEntries = maxEntries;
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
   * Changes the bound (a key ring reload changed the realm's {@code max_replay_entries}). A lower bound
   * than the entries held forgets nothing: consumes are refused (or older segments evicted) until
   * the size is below it. The segment size stays what the first bound gave.
   */
  public void setMaxEntries(long maxEntries) {
    checkMaxEntries(maxEntries);
    this.maxEntries = maxEntries;
  }

  private static void checkMaxEntries(long maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("replay guard max entries must be at least 1, got " + maxEntries);
    }
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
  public Reservation tryReserve(int n, long nowSeconds) {
    if (whenFull == WhenFull.EVICT_OLDEST || n == 0) {
      return new Reservation(this, 0);
    }
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
   * Records the ticket {@code keyId, iv} as used unless it was used before. Only call this
   * for tickets whose tag verified and which have not expired.
   *
   * @param attempt the {@link #attemptFingerprint} of the caller's attempt id, 0 for none
   * @param reservation from {@link #tryReserve}, or {@code null} (then, in refuse mode, the
   *     guard may answer {@link Result#FULL})
   */
  public Result consume(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds, long attempt,
      long nowSeconds, Reservation reservation) {
    lock.lock();
    try {
      return consumeLocked(keyId, iv, ivOffset, expiresAtSeconds, attempt, nowSeconds, reservation);
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@link #consume} for a batch, under one lock, answering each item of {@code consumes}. The tables
   * hold millions of tickets, far beyond the CPU caches, so each check is a memory miss; touching
   * every item's first slot before checking any lets those misses overlap instead of queueing.
   *
   * @throws StoreRefusedException in refuse mode when full and the reservation is used up (the bound
   *     was lowered by a reload meanwhile): the items before it were recorded, the call fails
   */
  void consumeAll(ConsumeBatch consumes, long nowSeconds, Reservation reservation) {
    int count = consumes.size();
    lock.lock();
    try {
      int touched = 0;
      for (int i = 0; i < count; i++) {
        Group group = group(consumes.keyId(i));
        if (group != null) {
          byte[] iv = consumes.ivBuffer(i);
          int off = consumes.ivOffset(i);
          for (Segment s : group.segments) {
            touched += s.ivs().firstSlotOf(getInt(iv, off), getInt(iv, off + 4));
          }
        }
      }
      sink = touched; // keeps the loads above from being optimised away
      for (int i = 0; i < count; i++) {
        long attempt = attemptFingerprint(consumes.attemptBuffer(i), consumes.attemptOffset(i),
            consumes.attemptLength(i));
        Result r = consumeLocked(consumes.keyId(i), consumes.ivBuffer(i), consumes.ivOffset(i),
            consumes.expiresAtSeconds(i), attempt, nowSeconds, reservation);
        consumes.answer(i, switch (r) {
          case FIRST_USE -> ConsumeResult.FIRST_USE;
          case SAME_ATTEMPT -> ConsumeResult.SAME_ATTEMPT;
          case REPLAYED -> ConsumeResult.REPLAYED;
          case FULL -> throw new StoreRefusedException(StoreRefusedException.Reason.QUOTA,
              "replay guard full: max_replay_entries (" + maxEntries + ") reached in mode refuse");
        });
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A 64-bit fingerprint of an attempt id, never 0 (0 means "no attempt id"). Not keyed: the attempt
   * ids it separates are random and unknown to whoever would try to match one.
   */
  public static long attemptFingerprint(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    long h = 0x9E3779B97F4A7C15L ^ len;
    for (int i = 0; i < len; i++) {
      h = (h ^ (b[off + i] & 0xFF)) * 0x100000001B3L;
      if ((i & 7) == 7) {
        h = mix(h);
      }
    }
    h = mix(h);
    return h == 0 ? 1 : h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private Result consumeLocked(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds, long attempt,
      long nowSeconds, Reservation reservation) {
    int a = getInt(iv, ivOffset);
    int b = getInt(iv, ivOffset + 4);
    int c = getInt(iv, ivOffset + 8);
    Group group = group(keyId);
    if (group != null) {
      for (Segment s : group.segments) {
        int slot = s.ivs().find(a, b, c);
        if (slot != IvSet.ABSENT) {
          return attempt != 0 && s.ivs().attemptAt(slot) == attempt ? Result.SAME_ATTEMPT : Result.REPLAYED;
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
    insertLocked(group, a, b, c, attempt);
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

  private void insertLocked(Group group, int a, int b, int c, long attempt) {
    Segment newest = group.segments.isEmpty() ? null : group.segments.getLast();
    if (newest == null || newest.ivs().isFull()) {
      newest = new Segment(group, new IvSet(segmentSlots));
      group.segments.add(newest);
      oldestFirst.addLast(newest);
    }
    newest.ivs().addAbsent(a, b, c, attempt);
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
