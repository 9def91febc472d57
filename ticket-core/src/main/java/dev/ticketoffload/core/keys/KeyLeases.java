package dev.ticketoffload.core.keys;

import java.util.Arrays;

/**
 * The epoch keys one batch leased, each once however many of its tickets use it, released together
 * when the batch is done. Reusable (one per thread) and allocation-free once grown; a batch touches a
 * handful of keys at most (the masters times the epochs of the window). Not thread-safe.
 */
public final class KeyLeases {

  private EpochKey[] keys = new EpochKey[4];
  private int size;

  /** A key this batch already leased, or {@code null}. */
  public EpochKey find(long keyId) {
    for (int i = size - 1; i >= 0; i--) { // the latest first: tickets of a batch come in runs
      if (keys[i].keyId() == keyId) {
        return keys[i];
      }
    }
    return null;
  }

  /** Takes over a lease (from {@link RealmKeys#sealKey} or {@link RealmKeys#openKey}); null is ignored. */
  public EpochKey add(EpochKey leased) {
    if (leased != null) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
      }
      keys[size++] = leased;
    }
    return leased;
  }

  /** Releases every lease; a key that left service meanwhile closes here. */
  public void releaseAll() {
    for (int i = 0; i < size; i++) {
      EpochKey k = keys[i];
      keys[i] = null;
      k.release();
    }
    size = 0;
  }
}
