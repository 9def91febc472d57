package dev.ticketoffload.server.replay;

/**
 * A set of 96-bit IVs in open addressing, each with the 64-bit fingerprint of the attempt that
 * consumed it: each slot is five consecutive {@code int}s (20 bytes, no object per entry), so a probe
 * touches one cache line, not one per array. IVs are CSPRNG output
 * that reached the guard only after their GCM tag verified, so their own bits are a good hash and
 * nobody can choose them to collide.
 *
 * <p>Grows by doubling up to {@code maxSlots}; it is full at 3/4 of that. A doubling does not rehash
 * at once (at 2^24 slots that froze every open for seconds): the old table stays readable and each
 * later insert moves {@link #MIGRATE_PER_INSERT} of its slots into the new one, so the move is spread
 * over the next inserts and always done long before the next doubling. The new (zeroed) array, hundreds
 * of megabytes at the largest sizes, is allocated ahead of time by a background thread once the table
 * is 5/8 full, off the guard's lock; only if it is not ready in time is it allocated inline. Not
 * thread-safe, except for that hand-over.
 */
final class IvSet {

  private static final int INITIAL_SLOTS = 64;
  static final int INTS_PER_SLOT = 5;
  /** Old slots moved per insert while a doubling is under way: 8 is 4 x what the next doubling needs. */
  static final int MIGRATE_PER_INSERT = 8;
  /** {@link #find} of an absent IV. */
  static final int ABSENT = -1;

  private final int maxSlots;
  private int[] table;
  // the table before the last doubling, while its entries are moved into table; null otherwise
  private int[] old;
  private int migrateAt;
  // the next table, allocated by ALLOCATOR off the caller's lock; read once it is non-null
  private volatile int[] prepared;
  private boolean preparing;
  private static final java.util.concurrent.ExecutorService ALLOCATOR =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replay-guard-allocator");
        t.setDaemon(true);
        return t;
      });
  private int size;
  // The all-zero IV is the empty-slot marker, so it is remembered apart (probability 2^-96, but exact).
  private boolean containsZero;
  private long zeroAttempt;

  /** @param maxSlots a power of two, at least 64 */
  IvSet(int maxSlots) {
    if (Integer.bitCount(maxSlots) != 1 || maxSlots < INITIAL_SLOTS) {
      throw new IllegalArgumentException("maxSlots must be a power of two >= 64, got " + maxSlots);
    }
    this.maxSlots = maxSlots;
    this.table = new int[INITIAL_SLOTS * INTS_PER_SLOT];
  }

  int size() {
    return size;
  }

  /** Entries this set can hold before it is full. */
  int capacity() {
    return maxSlots / 4 * 3;
  }

  boolean isFull() {
    return size >= capacity();
  }

  long bytesAllocated() {
    return ((long) table.length + (old == null ? 0 : old.length)) * Integer.BYTES;
  }

  private int slots() {
    return table.length / INTS_PER_SLOT;
  }

  /**
   * Where the IV is, for {@link #attemptAt}: a slot of the table (0 and up), {@code -2} for the
   * all-zero IV, {@code -3 - slot} for a slot of the old table not moved yet; {@link #ABSENT} if absent.
   */
  int find(int a, int b, int c) {
    if ((a | b | c) == 0) {
      return containsZero ? -2 : ABSENT;
    }
    int i = find(table, a, b, c);
    if (i != ABSENT || old == null) {
      return i;
    }
    i = find(old, a, b, c);
    return i == ABSENT ? ABSENT : -3 - i;
  }

  private static int find(int[] table, int a, int b, int c) {
    int mask = table.length / INTS_PER_SLOT - 1;
    for (int i = slot(a, b, mask); ; i = (i + 1) & mask) {
      int p = i * INTS_PER_SLOT;
      int x = table[p];
      int y = table[p + 1];
      int z = table[p + 2];
      if ((x | y | z) == 0) {
        return ABSENT;
      }
      if (x == a && y == b && z == c) {
        return i;
      }
    }
  }

  boolean contains(int a, int b, int c) {
    return find(a, b, c) != ABSENT;
  }

  /** The attempt fingerprint stored with the IV at {@code slot} (from {@link #find}). */
  long attemptAt(int slot) {
    if (slot == -2) {
      return zeroAttempt;
    }
    int[] t = slot >= 0 ? table : old;
    int p = (slot >= 0 ? slot : -3 - slot) * INTS_PER_SLOT;
    return (long) t[p + 3] << 32 | (t[p + 4] & 0xFFFF_FFFFL);
  }

  /** Reads the first slot an IV would probe (to bring it into the cache ahead of {@link #contains}). */
  int firstSlotOf(int a, int b) {
    return table[slot(a, b, slots() - 1) * INTS_PER_SLOT];
  }

  /**
   * Adds an IV known to be absent, with the fingerprint of the attempt that consumed it (0: none);
   * the caller checks {@link #isFull()} first.
   */
  void addAbsent(int a, int b, int c, long attempt) {
    size++;
    if ((a | b | c) == 0) {
      containsZero = true;
      zeroAttempt = attempt;
      return;
    }
    migrate(MIGRATE_PER_INSERT);
    if (!preparing && size > slots() / 8 * 5 && slots() < maxSlots) {
      preparing = true;
      int ints = Math.min(slots() * 2, maxSlots) * INTS_PER_SLOT;
      ALLOCATOR.execute(() -> prepared = new int[ints]);
    }
    if (size > slots() / 4 * 3 && slots() < maxSlots) {
      grow();
    }
    insert(table, a, b, c, (int) (attempt >>> 32), (int) attempt);
  }

  private void grow() {
    migrate(Integer.MAX_VALUE); // never two doublings in flight (cannot happen at 8 per insert)
    int ints = Math.min(slots() * 2, maxSlots) * INTS_PER_SLOT;
    int[] next = prepared;
    prepared = null;
    preparing = false;
    old = table;
    migrateAt = 0;
    // not ready yet (or the wrong size, which cannot happen): allocate here, and let it go
    table = next != null && next.length == ints ? next : new int[ints];
  }

  /** Moves up to {@code n} slots of the old table into the new one; drops the old one when done. */
  private void migrate(int n) {
    if (old == null) {
      return;
    }
    int end = old.length / INTS_PER_SLOT;
    for (int k = 0; k < n && migrateAt < end; k++, migrateAt++) {
      int p = migrateAt * INTS_PER_SLOT;
      if ((old[p] | old[p + 1] | old[p + 2]) != 0) {
        insert(table, old[p], old[p + 1], old[p + 2], old[p + 3], old[p + 4]);
      }
    }
    if (migrateAt == end) {
      old = null;
    }
  }

  /** Whether a doubling is still moving entries (tests). */
  boolean migrating() {
    return old != null;
  }

  private static void insert(int[] table, int a, int b, int c, int attemptHigh, int attemptLow) {
    int mask = table.length / INTS_PER_SLOT - 1;
    int i = slot(a, b, mask);
    while ((table[i * INTS_PER_SLOT] | table[i * INTS_PER_SLOT + 1] | table[i * INTS_PER_SLOT + 2]) != 0) {
      i = (i + 1) & mask;
    }
    int p = i * INTS_PER_SLOT;
    table[p] = a;
    table[p + 1] = b;
    table[p + 2] = c;
    table[p + 3] = attemptHigh;
    table[p + 4] = attemptLow;
  }

  private static int slot(int a, int b, int mask) {
    return (a ^ b) & mask;
  }
}
