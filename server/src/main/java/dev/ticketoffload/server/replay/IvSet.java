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
 * over the next inserts and always done long before the next doubling.
 *
 * <p>A table is made of pages of at most {@link #PAGE_SLOTS} slots (20 MiB), never one array of
 * hundreds of megabytes: the JVM zeroes a new array in one step that no safepoint can interrupt (a
 * 671 MB array held every thread for 157 ms at a G1 remark), and G1 needs a run of free regions as
 * long as the array (a tight heap ran two full collections to find 671 MB). The last slot of each
 * page is left out so that a page with its array header fills its G1 regions exactly (with it, a
 * 20 MiB page takes one more region). The next table's pages are allocated ahead, one by one, by a
 * background thread once the table is 5/8 full, off the guard's lock; if they are not ready at 3/4,
 * the doubling waits for them up to 7/8 and only then allocates what is missing inline. Not
 * thread-safe, except for that hand-over.
 */
final class IvSet {

  private static final int INITIAL_SLOTS = 64;
  static final int INTS_PER_SLOT = 5;
  /** Slots per page of a large table: 2^20 slots of 20 bytes, 20 MiB (one slot less, see above). */
  static final int PAGE_SLOTS = 1 << 20;
  /** Old slots moved per insert while a doubling is under way: 8 is 4 x what the next doubling needs. */
  static final int MIGRATE_PER_INSERT = 8;
  /** {@link #find} of an absent IV. */
  static final int ABSENT = -1;

  private final int maxSlots;
  private final int pageSlots;
  private final java.util.concurrent.Executor allocator;
  private Table table;
  // the table before the last doubling, while its entries are moved into table; null otherwise
  private Table old;
  private int migrateAt;
  // the next table, its pages allocated by ALLOCATOR off the caller's lock; read once it is non-null
  private volatile Table prepared;
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

  /**
   * One table of {@code mask + 1} slots (a power of two) in pages of {@code 1 << pageShift} slots
   * each, the last slot of every page left out: a probe steps over it.
   */
  private static final class Table {
    final int[][] pages;
    final int pageShift;
    final int pageMask;
    final int mask;

    Table(int slots, int maxPageSlots) {
      int pageSlots = Math.min(slots, maxPageSlots);
      this.pageShift = Integer.numberOfTrailingZeros(pageSlots);
      this.pageMask = pageSlots - 1;
      this.mask = slots - 1;
      this.pages = new int[slots / pageSlots][];
    }

    /** Allocates every page still missing; returns this. */
    Table allocate() {
      for (int k = 0; k < pages.length; k++) {
        if (pages[k] == null) {
          pages[k] = new int[pageMask * INTS_PER_SLOT];
        }
      }
      return this;
    }

    int slots() {
      return mask + 1;
    }

    long bytes() {
      long bytes = 0;
      for (int[] page : pages) {
        bytes += page == null ? 0 : (long) page.length * Integer.BYTES;
      }
      return bytes;
    }

    int home(int a, int b) {
      return skipMissing((a ^ b) & mask);
    }

    int next(int i) {
      return skipMissing((i + 1) & mask);
    }

    /** The slot itself, or the one after it if it is the left-out last slot of its page. */
    private int skipMissing(int i) {
      return (i & pageMask) == pageMask ? (i + 1) & mask : i;
    }

    int[] page(int slot) {
      return pages[slot >>> pageShift];
    }

    int offset(int slot) {
      return (slot & pageMask) * INTS_PER_SLOT;
    }

    int find(int a, int b, int c) {
      for (int i = home(a, b); ; i = next(i)) {
        int[] page = page(i);
        int p = offset(i);
        int x = page[p];
        int y = page[p + 1];
        int z = page[p + 2];
        if ((x | y | z) == 0) {
          return ABSENT;
        }
        if (x == a && y == b && z == c) {
          return i;
        }
      }
    }

    void insert(int a, int b, int c, int attemptHigh, int attemptLow) {
      int i = home(a, b);
      int[] page = page(i);
      int p = offset(i);
      while ((page[p] | page[p + 1] | page[p + 2]) != 0) {
        i = next(i);
        page = page(i);
        p = offset(i);
      }
      page[p] = a;
      page[p + 1] = b;
      page[p + 2] = c;
      page[p + 3] = attemptHigh;
      page[p + 4] = attemptLow;
    }
  }

  /** @param maxSlots a power of two, at least 64 */
  IvSet(int maxSlots) {
    this(maxSlots, PAGE_SLOTS, ALLOCATOR);
  }

  /** With smaller pages, or an allocator that holds the next table back (tests). */
  IvSet(int maxSlots, int pageSlots, java.util.concurrent.Executor allocator) {
    if (Integer.bitCount(maxSlots) != 1 || maxSlots < INITIAL_SLOTS) {
      throw new IllegalArgumentException("maxSlots must be a power of two >= 64, got " + maxSlots);
    }
    if (Integer.bitCount(pageSlots) != 1 || pageSlots < 2) {
      throw new IllegalArgumentException("pageSlots must be a power of two >= 2, got " + pageSlots);
    }
    this.maxSlots = maxSlots;
    this.pageSlots = pageSlots;
    this.allocator = allocator;
    this.table = new Table(INITIAL_SLOTS, pageSlots).allocate();
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

  /** Bytes of the table, of the one a doubling is still emptying, and of the next one's pages allocated ahead. */
  long bytesAllocated() {
    Table next = prepared;
    return table.bytes() + (old == null ? 0 : old.bytes()) + (next == null ? 0 : next.bytes());
  }

  /**
   * Where the IV is, for {@link #attemptAt}: a slot of the table (0 and up), {@code -2} for the
   * all-zero IV, {@code -3 - slot} for a slot of the old table not moved yet; {@link #ABSENT} if absent.
   */
  int find(int a, int b, int c) {
    if ((a | b | c) == 0) {
      return containsZero ? -2 : ABSENT;
    }
    int i = table.find(a, b, c);
    if (i != ABSENT || old == null) {
      return i;
    }
    i = old.find(a, b, c);
    return i == ABSENT ? ABSENT : -3 - i;
  }

  boolean contains(int a, int b, int c) {
    return find(a, b, c) != ABSENT;
  }

  /** The attempt fingerprint stored with the IV at {@code slot} (from {@link #find}). */
  long attemptAt(int slot) {
    if (slot == -2) {
      return zeroAttempt;
    }
    Table t = slot >= 0 ? table : old;
    int i = slot >= 0 ? slot : -3 - slot;
    int[] page = t.page(i);
    int p = t.offset(i);
    return (long) page[p + 3] << 32 | (page[p + 4] & 0xFFFF_FFFFL);
  }

  /** Reads the first slot an IV would probe (to bring it into the cache ahead of {@link #contains}). */
  int firstSlotOf(int a, int b) {
    Table t = table;
    int i = t.home(a, b);
    return t.page(i)[t.offset(i)];
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
    int slots = table.slots();
    if (slots < maxSlots) {
      if (!preparing && size > slots / 8 * 5) {
        preparing = true;
        Table next = new Table(slots * 2, pageSlots);
        // page by page: each allocation zeroes at most 20 MiB, so no safepoint waits long for it
        allocator.execute(() -> prepared = next.allocate());
      }
      // grow at 3/4 if the next table is ready; wait for it up to 7/8 (a starved allocator thread)
      if (size > slots / 4 * 3 && (ready() != null || size > slots / 8 * 7)) {
        grow();
      }
    }
    table.insert(a, b, c, (int) (attempt >>> 32), (int) attempt);
  }

  /** The next table if its pages are all allocated (not one left over from an earlier doubling). */
  private Table ready() {
    Table next = prepared;
    return next != null && next.slots() == table.slots() * 2 ? next : null;
  }

  private void grow() {
    migrate(Integer.MAX_VALUE); // never two doublings in flight (cannot happen at 8 per insert)
    Table next = ready();
    prepared = null;
    preparing = false;
    old = table;
    migrateAt = 0;
    // not ready yet: a fresh table allocated here (the allocator's one, when it finishes, is let go)
    table = next != null ? next : new Table(old.slots() * 2, pageSlots).allocate();
  }

  /** Moves up to {@code n} slots of the old table into the new one; drops the old one when done. */
  private void migrate(int n) {
    if (old == null) {
      return;
    }
    int end = old.slots();
    for (int k = 0; k < n && migrateAt < end; k++, migrateAt++) {
      if ((migrateAt & old.pageMask) == old.pageMask) {
        continue; // the left-out last slot of a page
      }
      int[] page = old.page(migrateAt);
      int p = old.offset(migrateAt);
      if ((page[p] | page[p + 1] | page[p + 2]) != 0) {
        table.insert(page[p], page[p + 1], page[p + 2], page[p + 3], page[p + 4]);
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

  /** Slots of the table (tests). */
  int slots() {
    return table.slots();
  }

  /** Pages of the table (tests). */
  int pages() {
    return table.pages.length;
  }

  /** Ints in each page of the table (tests). */
  int intsPerPage() {
    return table.pages[0].length;
  }
}
