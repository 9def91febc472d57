package dev.ticketoffload.server.replay;

/**
 * A set of 96-bit IVs in open addressing: 12 bytes per slot ({@code long} + {@code int}), no object
 * per entry. IVs are CSPRNG output that reached the guard only after their GCM tag verified, so
 * their own bits are a good hash and nobody can choose them to collide.
 *
 * <p>Grows by doubling up to {@code maxSlots}; it is full at 3/4 of that. Not thread-safe.
 */
final class IvSet {

  private static final int INITIAL_SLOTS = 64;

  private final int maxSlots;
  private long[] high;
  private int[] low;
  private int size;
  // The all-zero IV is the empty-slot marker, so it is remembered apart (probability 2^-96, but exact).
  private boolean containsZero;

  /** @param maxSlots a power of two, at least 64 */
  IvSet(int maxSlots) {
    if (Integer.bitCount(maxSlots) != 1 || maxSlots < INITIAL_SLOTS) {
      throw new IllegalArgumentException("maxSlots must be a power of two >= 64, got " + maxSlots);
    }
    this.maxSlots = maxSlots;
    this.high = new long[INITIAL_SLOTS];
    this.low = new int[INITIAL_SLOTS];
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
    return (long) high.length * Long.BYTES + (long) low.length * Integer.BYTES;
  }

  boolean contains(long ivHigh, int ivLow) {
    if (ivHigh == 0 && ivLow == 0) {
      return containsZero;
    }
    int mask = high.length - 1;
    for (int i = slot(ivHigh, mask); ; i = (i + 1) & mask) {
      if (high[i] == 0 && low[i] == 0) {
        return false;
      }
      if (high[i] == ivHigh && low[i] == ivLow) {
        return true;
      }
    }
  }

  /** Adds an IV known to be absent; the caller checks {@link #isFull()} first. */
  void addAbsent(long ivHigh, int ivLow) {
    size++;
    if (ivHigh == 0 && ivLow == 0) {
      containsZero = true;
      return;
    }
    if (size > high.length / 4 * 3) {
      grow();
    }
    insert(high, low, ivHigh, ivLow);
  }

  private void grow() {
    int slots = Math.min(high.length * 2, maxSlots);
    long[] newHigh = new long[slots];
    int[] newLow = new int[slots];
    for (int i = 0; i < high.length; i++) {
      if (high[i] != 0 || low[i] != 0) {
        insert(newHigh, newLow, high[i], low[i]);
      }
    }
    high = newHigh;
    low = newLow;
  }

  private static void insert(long[] high, int[] low, long ivHigh, int ivLow) {
    int mask = high.length - 1;
    int i = slot(ivHigh, mask);
    while (high[i] != 0 || low[i] != 0) {
      i = (i + 1) & mask;
    }
    high[i] = ivHigh;
    low[i] = ivLow;
  }

  private static int slot(long ivHigh, int mask) {
    return (int) (ivHigh ^ (ivHigh >>> 32)) & mask;
  }
}
