package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.state.DecodedState;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;

/**
 * Tickets to open together and, after {@link TicketOpener#openAll}, their outcomes. Reusable: fill,
 * open, read, {@link #clear()}; nothing is allocated per ticket except what {@link #state(int)}
 * returns ({@link #stateView} reads a state without allocating). The plaintexts live in one scratch
 * array owned by the batch, wiped by {@link #clear()}. Not thread-safe.
 */
public final class OpenBatch {

  private final byte[][] tickets;
  private final int[] ticketOffset;
  private final int[] ticketLength;
  private final boolean[] consume;
  final Outcome[] outcome;
  final long[] expiresAtSeconds;
  final int[] stateOffset;
  final EpochKey[] key;
  private final byte[][] attempt;
  private final int[] attemptOffset;
  private final int[] attemptLength;
  // The consuming items of a batch, handed to the single-use store in one call.
  final ConsumeBatch consumes;
  // Revocation checks and record fetches of the batch, in the same call.
  final StoreLookups lookups;
  final boolean[] byReference;
  // Where each opened state lies: in plaintext (by value) or in recordPlaintext (by reference).
  final byte[][] stateArray;
  final int[] stateAt;
  final int[] stateLen;
  byte[] recordPlaintext = new byte[4096];
  int recordPlaintextUsed;
  byte[] plaintext = new byte[4096];
  /** Bytes of {@link #plaintext} written by the last open, wiped by {@link #clear()}. */
  int plaintextUsed;
  private int size;

  public OpenBatch(int capacity) {
    tickets = new byte[capacity][];
    ticketOffset = new int[capacity];
    ticketLength = new int[capacity];
    consume = new boolean[capacity];
    outcome = new Outcome[capacity];
    expiresAtSeconds = new long[capacity];
    stateOffset = new int[capacity];
    key = new EpochKey[capacity];
    attempt = new byte[capacity][];
    attemptOffset = new int[capacity];
    attemptLength = new int[capacity];
    consumes = new ConsumeBatch(capacity);
    lookups = new StoreLookups(capacity);
    byReference = new boolean[capacity];
    stateArray = new byte[capacity][];
    stateAt = new int[capacity];
    stateLen = new int[capacity];
  }

  public int capacity() {
    return tickets.length;
  }

  public int size() {
    return size;
  }

  /**
   * Adds a ticket; {@code consume == false} only peeks (no single-use record).
   *
   * @return its index
   */
  public int add(byte[] ticket, int offset, int length, boolean consume) {
    return add(ticket, offset, length, consume, null, 0, 0);
  }

  /**
   * Adds a ticket with the caller's {@code attempt_id} ({@code attemptLength} 0: none), kept across the
   * caller's retries: a consume that reached the store but whose answer was lost is {@code OK} again
   * for the same attempt id, {@code REPLAYED} for any other.
   *
   * @return its index
   */
  public int add(byte[] ticket, int offset, int length, boolean consume, byte[] attempt, int attemptOffset,
      int attemptLength) {
    if (attemptLength < 0 || attemptLength > ConsumeBatch.MAX_ATTEMPT_ID_BYTES) {
      throw new IllegalArgumentException("attempt_id must be 0.." + ConsumeBatch.MAX_ATTEMPT_ID_BYTES
          + " bytes, got " + attemptLength);
    }
    if (size == tickets.length) {
      throw new IllegalStateException("open batch is full (" + tickets.length + " tickets)");
    }
    int i = size++;
    tickets[i] = ticket;
    ticketOffset[i] = offset;
    ticketLength[i] = length;
    this.consume[i] = consume;
    this.attempt[i] = attempt;
    this.attemptOffset[i] = attemptOffset;
    this.attemptLength[i] = attemptLength;
    outcome[i] = null;
    expiresAtSeconds[i] = 0;
    byReference[i] = false;
    stateArray[i] = null;
    return i;
  }

  public int add(byte[] ticket, boolean consume) {
    return add(ticket, 0, ticket.length, consume);
  }

  /** Drops references to tickets, keys and wipes plaintexts. */
  public void clear() {
    java.util.Arrays.fill(tickets, 0, size, null);
    java.util.Arrays.fill(key, 0, size, null);
    java.util.Arrays.fill(attempt, 0, size, null);
    java.util.Arrays.fill(stateArray, 0, size, null);
    consumes.clear();
    lookups.clear();
    java.util.Arrays.fill(plaintext, 0, plaintextUsed, (byte) 0);
    plaintextUsed = 0;
    java.util.Arrays.fill(recordPlaintext, 0, recordPlaintextUsed, (byte) 0);
    recordPlaintextUsed = 0;
    size = 0;
  }

  public Outcome outcome(int i) {
    return outcome[i];
  }

  /** The ticket's {@code expires_at} when it authenticated (OK, EXPIRED, REVOKED, STATE_NOT_FOUND, REPLAYED), else 0. */
  public long expiresAtSeconds(int i) {
    return expiresAtSeconds[i];
  }

  /** The opened state, decoded; only for {@link Outcome#OK}. */
  public IkeSaState state(int i) {
    if (outcome[i] != Outcome.OK) {
      throw new IllegalStateException("ticket " + i + " did not open: " + outcome[i]);
    }
    return ((DecodedState.Valid) StateCodec.decode(stateArray[i], stateAt[i], stateLen[i])).state();
  }

  /**
   * Points {@code view} at ticket {@code i}'s opened state, for copying fields without decoding;
   * only for {@link Outcome#OK}, and valid until {@link #clear()}.
   */
  public StateView stateView(int i, StateView view) {
    if (outcome[i] != Outcome.OK) {
      throw new IllegalStateException("ticket " + i + " did not open: " + outcome[i]);
    }
    return view.wrap(stateArray[i], stateAt[i]);
  }

  /** What the ticket itself decrypts to: the state (by value) or the 24-byte reference. */
  int stateLength(int i) {
    return ticketLength[i] - TicketFormat.OVERHEAD_IN_BYTES;
  }

  /**
   * The 16-byte id of ticket {@code i}, by reference and authenticated (any outcome but
   * {@code MALFORMED}, {@code UNSUPPORTED_VERSION}, {@code UNKNOWN_KEY}, {@code AUTH_FAILED} of the
   * ticket itself): what its record and its revocations are kept under. A copy; valid after
   * {@link TicketOpener#openAll}, before {@link #clear()}.
   */
  public byte[] referenceId(int i) {
    if (!byReference[i] || expiresAtSeconds[i] == 0) {
      throw new IllegalStateException("ticket " + i + " is not an authenticated ticket by reference: " + outcome[i]);
    }
    return java.util.Arrays.copyOfRange(plaintext, stateOffset[i], stateOffset[i] + ReferenceFormat.ID_SIZE_IN_BYTES);
  }

  /** Whether ticket {@code i} is by reference (format v2); known once it was opened. */
  public boolean byReference(int i) {
    return byReference[i];
  }

  byte[] ticket(int i) { return tickets[i]; }
  int ticketOffset(int i) { return ticketOffset[i]; }
  int ticketLength(int i) { return ticketLength[i]; }
  boolean consume(int i) { return consume[i]; }
  byte[] attempt(int i) { return attempt[i]; }
  int attemptOffset(int i) { return attemptOffset[i]; }
  int attemptLength(int i) { return attemptLength[i]; }
}
