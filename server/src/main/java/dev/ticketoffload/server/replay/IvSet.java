package dev.ticketoffload.server.replay;

/**
 * A set of 96-bit IVs in open addressing, each with the 64-bit fingerprint of the attempt that
 * consumed it: each slot is five consecutive {@code int}s (20 bytes, no object per entry), so a probe
 * touches one cache line, not one per array. IVs are CSPRNG output
 * that reached the guard only after their GCM tag verified, so their own bits are a good hash and
 * nobody can choose them to collide.
 *
 * <p>Grows by doubling up to {@code maxSlots}; it is full at 3/4 of that. Not thread-safe.
 */
final class IvSet {

  private static final int INITIAL_SLOTS = 64;
  static final int INTS_PER_SLOT = 5;
  /** {@link #find} of an absent IV. */
  static final int ABSENT = -1;

  private final int maxSlots;
  private int[] table;
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
    return (long) table.length * Integer.BYTES;
  }

  private int slots() {
    return table.length / INTS_PER_SLOT;
  }

  /** The slot holding the IV, or {@link #ABSENT}; {@code -2} for the all-zero IV when present. */
  int find(int a, int b, int c) {
    if ((a | b | c) == 0) {
      return containsZero ? -2 : ABSENT;
    }
    int mask = slots() - 1;
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
    int p = slot * INTS_PER_SLOT;
    return (long) table[p + 3] << 32 | (table[p + 4] & 0xFFFF_FFFFL);
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
    if (size > slots() / 4 * 3) {
      grow();
    }
    insert(table, a, b, c, (int) (attempt >>> 32), (int) attempt);
  }

  private void grow() {
    int[] old = table;
    table = new int[Math.min(slots() * 2, maxSlots) * INTS_PER_SLOT];
    for (int p = 0; p < old.length; p += INTS_PER_SLOT) {
      if ((old[p] | old[p + 1] | old[p + 2]) != 0) {
        insert(table, old[p], old[p + 1], old[p + 2], old[p + 3], old[p + 4]);
      }
    }
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
