package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.keys.IdentityKeyDerivation;

/**
 * What an open asks the store besides consumes, for every ticket of a batch that authenticated and
 * has not expired (peeks too). A ticket by value: is it revoked (by its {@code key_id || iv}), is its
 * identity revoked for tickets issued up to its {@code issued_at}. A ticket by reference: the record
 * kept under its id, and whether the ticket is revoked, which the store keeps under the same id for
 * both kinds of revocation (a revocation of an identity finds the ticket's id in the identity's index,
 * written at seal), so its IDi, known only inside the record, is never needed. Handed to the store
 * together with the batch's {@link ConsumeBatch} in one {@link SingleUseStore#lookUpAndConsume} call,
 * so a shared store answers all of it in one flush; a lookup by reference names its consume
 * ({@link #consume}), so a store may fetch the record and consume in one atomic operation. Owned by
 * its batch and reused; buffers are the caller's, not copied.
 */
public final class StoreLookups {

  private static final int KEY = IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES;

  private final long[] keyId;
  private final byte[][] ivBuffer;
  private final int[] ivOffset;
  private final boolean[] checkTicket;
  private final boolean[] hasIdentity;
  private final byte[] identityKeys;
  private final long[] issuedAtSeconds;
  private final byte[][] refIdBuffer;
  private final int[] refIdOffset;
  private final boolean[] revoked;
  private final byte[][] record;
  private final int[] consume;
  final int[] item;
  private int size;

  StoreLookups(int capacity) {
    keyId = new long[capacity];
    ivBuffer = new byte[capacity][];
    ivOffset = new int[capacity];
    checkTicket = new boolean[capacity];
    hasIdentity = new boolean[capacity];
    identityKeys = new byte[capacity * KEY];
    issuedAtSeconds = new long[capacity];
    refIdBuffer = new byte[capacity][];
    refIdOffset = new int[capacity];
    revoked = new boolean[capacity];
    record = new byte[capacity][];
    consume = new int[capacity];
    item = new int[capacity];
  }

  /** Test and tool seam: lookups filled by hand, for exercising a store without the opener. */
  public static StoreLookups ofCapacity(int capacity) {
    return new StoreLookups(capacity);
  }

  /**
   * Queues a lookup for one ticket.
   *
   * @param checkTicket whether to ask if the ticket itself ({@code keyId || iv}) is revoked (by value;
   *     a ticket by reference is always asked for its revocations under its id)
   * @param refId the ticket's id when it is by reference (its record is fetched), else {@code null}
   * @return its index
   */
  public int add(long keyId, byte[] iv, int ivOffset, boolean checkTicket, byte[] refId, int refIdOffset) {
    int i = size++;
    this.keyId[i] = keyId;
    this.ivBuffer[i] = iv;
    this.ivOffset[i] = ivOffset;
    this.checkTicket[i] = checkTicket;
    this.hasIdentity[i] = false;
    this.refIdBuffer[i] = refId;
    this.refIdOffset[i] = refIdOffset;
    this.revoked[i] = false;
    this.record[i] = null;
    this.consume[i] = -1;
    return i;
  }

  /** Item {@code i}'s ticket is also consumed, as item {@code c} of the batch's {@link ConsumeBatch}. */
  public void setConsume(int i, int c) {
    consume[i] = c;
  }

  /** Also asks whether identity {@code key} (16 bytes) was revoked at or after {@code issuedAt}. */
  public void setIdentity(int i, byte[] key, int offset, long issuedAtSeconds) {
    System.arraycopy(key, offset, identityKeys, i * KEY, KEY);
    this.issuedAtSeconds[i] = issuedAtSeconds;
    hasIdentity[i] = true;
  }

  public int size() { return size; }
  public long keyId(int i) { return keyId[i]; }
  /** The array holding item {@code i}'s 12-byte IV at {@link #ivOffset}. */
  public byte[] ivBuffer(int i) { return ivBuffer[i]; }
  public int ivOffset(int i) { return ivOffset[i]; }
  public boolean checkTicket(int i) { return checkTicket[i]; }
  public boolean hasIdentity(int i) { return hasIdentity[i]; }
  /** The array holding item {@code i}'s identity key at {@link #identityKeyOffset}. */
  public byte[] identityKeys() { return identityKeys; }
  public int identityKeyOffset(int i) { return i * KEY; }
  public long issuedAtSeconds(int i) { return issuedAtSeconds[i]; }
  /** Whether item {@code i} is by reference: then its record is fetched. */
  public boolean byReference(int i) { return refIdBuffer[i] != null; }
  public byte[] refIdBuffer(int i) { return refIdBuffer[i]; }
  public int refIdOffset(int i) { return refIdOffset[i]; }
  /** The index of item {@code i}'s consume in the batch's {@link ConsumeBatch}; -1: it only peeks. */
  public int consume(int i) { return consume[i]; }

  /** The store's answer: the ticket, or its identity since before its issue, is revoked. */
  public void answerRevoked(int i) { revoked[i] = true; }
  /** The store's answer for a ticket by reference: the record under its id ({@code null}: none). */
  public void answerRecord(int i, byte[] r) { record[i] = r; }
  public boolean revoked(int i) { return revoked[i]; }
  public byte[] record(int i) { return record[i]; }

  public void clear() {
    java.util.Arrays.fill(ivBuffer, 0, size, null);
    java.util.Arrays.fill(refIdBuffer, 0, size, null);
    java.util.Arrays.fill(record, 0, size, null);
    size = 0;
  }
}
