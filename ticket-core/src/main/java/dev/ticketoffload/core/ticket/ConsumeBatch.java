package dev.ticketoffload.core.ticket;

/**
 * The consuming items of one {@link OpenBatch} that passed every check before single use, as the
 * opener hands them to a {@link SingleUseStore} in one call: per item the ticket's key id, where its
 * IV lies (in the caller's ticket buffer, not copied), its expiry, the caller's attempt id (possibly
 * empty) and, once answered, the store's {@link ConsumeResult}. Owned by its batch and reused; read
 * only within {@link SingleUseStore#consumeAll}.
 *
 * <p>One object per batch on purpose: a shared store turns it into one pipelined flush, and later
 * per-ticket store operations of the same batch (fetching a state by reference, a revocation check)
 * belong here too, so they travel in the same flush.
 */
public final class ConsumeBatch {

  /** Longest {@code attempt_id} accepted (the proto's limit). */
  public static final int MAX_ATTEMPT_ID_BYTES = 16;

  private final long[] keyId;
  private final byte[][] ivBuffer;
  private final int[] ivOffset;
  private final long[] expiresAtSeconds;
  private final byte[][] attemptBuffer;
  private final int[] attemptOffset;
  private final int[] attemptLength;
  private final ConsumeResult[] result;
  final int[] item;
  private int size;

  ConsumeBatch(int capacity) {
    keyId = new long[capacity];
    ivBuffer = new byte[capacity][];
    ivOffset = new int[capacity];
    expiresAtSeconds = new long[capacity];
    attemptBuffer = new byte[capacity][];
    attemptOffset = new int[capacity];
    attemptLength = new int[capacity];
    result = new ConsumeResult[capacity];
    item = new int[capacity];
  }

  /** Test and tool seam: a batch filled by hand, for exercising a store without the opener. */
  public static ConsumeBatch ofCapacity(int capacity) {
    return new ConsumeBatch(capacity);
  }

  /**
   * Queues one consume.
   *
   * @param attemptLength 0 when the caller sent no attempt id
   * @return its index
   */
  public int add(long keyId, byte[] iv, int ivOffset, long expiresAtSeconds, byte[] attempt, int attemptOffset,
      int attemptLength) {
    if (attemptLength > MAX_ATTEMPT_ID_BYTES) {
      throw new IllegalArgumentException("attempt_id is longer than " + MAX_ATTEMPT_ID_BYTES + " bytes");
    }
    int i = size++;
    this.keyId[i] = keyId;
    this.ivBuffer[i] = iv;
    this.ivOffset[i] = ivOffset;
    this.expiresAtSeconds[i] = expiresAtSeconds;
    this.attemptBuffer[i] = attempt;
    this.attemptOffset[i] = attemptOffset;
    this.attemptLength[i] = attemptLength;
    this.result[i] = null;
    return i;
  }

  public int size() {
    return size;
  }

  public long keyId(int i) {
    return keyId[i];
  }

  /** The array holding item {@code i}'s 12-byte IV at {@link #ivOffset}. */
  public byte[] ivBuffer(int i) {
    return ivBuffer[i];
  }

  public int ivOffset(int i) {
    return ivOffset[i];
  }

  public long expiresAtSeconds(int i) {
    return expiresAtSeconds[i];
  }

  /** The array holding item {@code i}'s attempt id at {@link #attemptOffset}; unused when its length is 0. */
  public byte[] attemptBuffer(int i) {
    return attemptBuffer[i];
  }

  public int attemptOffset(int i) {
    return attemptOffset[i];
  }

  /** 0 when the caller sent no attempt id: then a second consume is always {@link ConsumeResult#REPLAYED}. */
  public int attemptLength(int i) {
    return attemptLength[i];
  }

  public void answer(int i, ConsumeResult r) {
    result[i] = r;
  }

  /** The store's answer for item {@code i}; {@code null} until answered. */
  public ConsumeResult result(int i) {
    return result[i];
  }

  /** Forgets the queued items and the references to the caller's buffers. */
  public void clear() {
    java.util.Arrays.fill(ivBuffer, 0, size, null);
    java.util.Arrays.fill(attemptBuffer, 0, size, null);
    size = 0;
  }
}
