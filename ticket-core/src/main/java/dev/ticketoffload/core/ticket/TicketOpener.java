package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.StateCodec;

/**
 * Opens tickets in the order of checks of DESIGN.md: length and version, key, tag, state, expiry,
 * single use. Every ticket gets an {@link Outcome}; nothing a client sends makes it throw. Consecutive
 * tickets under the same key are decrypted as one backend batch. Thread-safe.
 */
public final class TicketOpener {

  private static final int AEAD_BATCH_SIZE = 256;

  private final KeySchedule keys;
  private final int maxTicketBytes;
  private final long skewSeconds;
  private final ThreadLocal<Run> runs = ThreadLocal.withInitial(Run::new);

  /**
   * @param maxTicketBytes longer tickets are {@link Outcome#MALFORMED} ({@code max_ticket_bytes})
   * @param skewSeconds a ticket is {@link Outcome#EXPIRED} when {@code now >= expires_at + skew}
   */
  public TicketOpener(KeySchedule keys, int maxTicketBytes, long skewSeconds) {
    if (skewSeconds < 0) {
      throw new IllegalArgumentException("skew_seconds must not be negative, got " + skewSeconds);
    }
    this.keys = keys;
    this.maxTicketBytes = maxTicketBytes;
    this.skewSeconds = skewSeconds;
  }

  /**
   * Opens every ticket of {@code batch} at {@code nowSeconds}, the batch's one "now" (key window,
   * expiry and the store all see it); outcomes are read from the batch. The consuming items that pass
   * every other check go to {@code store} in one {@link SingleUseStore#consumeAll} call (a server hands
   * in the store bound to the batch's reservation).
   *
   * @throws RuntimeException whatever {@code store} throws when it cannot answer: then none of the
   *     batch's outcomes may be sent
   */
  public void openAll(String realm, OpenBatch batch, long nowSeconds, SingleUseStore store) {
    RealmKeys realmKeys = keys.realm(realm);
    int plaintextBytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      batch.outcome[i] = checkHeader(batch, i, realmKeys, nowSeconds);
      if (batch.outcome[i] == null) {
        batch.stateOffset[i] = plaintextBytes;
        plaintextBytes += batch.stateLength(i);
      }
    }
    if (batch.plaintext.length < plaintextBytes) {
      java.util.Arrays.fill(batch.plaintext, (byte) 0);
      batch.plaintext = new byte[Math.max(plaintextBytes, batch.plaintext.length * 2)];
      batch.plaintextUsed = 0;
    }
    batch.plaintextUsed = Math.max(batch.plaintextUsed, plaintextBytes);
    decrypt(batch);
    ConsumeBatch consumes = batch.consumes;
    consumes.clear();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.outcome[i] == null) {
        batch.outcome[i] = checkState(batch, i, nowSeconds);
        if (batch.outcome[i] == null) {
          queueConsume(batch, i);
        }
      }
    }
    if (consumes.size() > 0) {
      store.consumeAll(realm, consumes, nowSeconds);
      for (int j = 0; j < consumes.size(); j++) {
        ConsumeResult r = consumes.result(j);
        if (r == null) {
          throw new IllegalStateException("the single-use store left consume " + j + " unanswered");
        }
        batch.outcome[consumes.item[j]] = r == ConsumeResult.REPLAYED ? Outcome.REPLAYED : Outcome.OK;
      }
    }
  }

  /** Step 7 for ticket {@code i}: queued, so the store is asked once per batch. */
  private static void queueConsume(OpenBatch batch, int i) {
    byte[] t = batch.ticket(i);
    int off = batch.ticketOffset(i);
    int j = batch.consumes.add(TicketFormat.readKeyId(t, off), t, off + TicketFormat.IV_OFFSET,
        batch.expiresAtSeconds[i], batch.attempt(i), batch.attemptOffset(i), batch.attemptLength(i));
    batch.consumes.item[j] = i;
  }

  /** Steps 1 and 2: length, version, key. {@code null} means "go on". */
  private Outcome checkHeader(OpenBatch batch, int i, RealmKeys realm, long nowSeconds) {
    byte[] ticket = batch.ticket(i);
    int offset = batch.ticketOffset(i);
    int length = batch.ticketLength(i);
    if (length < TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES || length > maxTicketBytes) {
      return Outcome.MALFORMED;
    }
    if (ticket[offset + TicketFormat.VERSION_OFFSET] != TicketFormat.VERSION_1) {
      return Outcome.UNSUPPORTED_VERSION;
    }
    EpochKey key = realm == null ? null : realm.openKey(TicketFormat.readKeyId(ticket, offset), nowSeconds);
    if (key == null) {
      return Outcome.UNKNOWN_KEY;
    }
    batch.key[i] = key;
    return null;
  }

  /** A backend batch and, per backend item, the index of its ticket in the {@link OpenBatch}. */
  private static final class Run {
    final AeadBatch aead = new AeadBatch(AEAD_BATCH_SIZE);
    final int[] ticketIndex = new int[AEAD_BATCH_SIZE];
    EpochKey key;

    void flush(OpenBatch batch) {
      if (aead.size() == 0) {
        return;
      }
      key.aead().openBatch(aead);
      for (int j = 0; j < aead.size(); j++) {
        if (aead.result(j) < 0) {
          batch.outcome[ticketIndex[j]] = Outcome.AUTH_FAILED;
        }
      }
      aead.clear();
    }
  }

  /** Step 3: decrypts runs of tickets under the same key as one backend batch each. */
  private void decrypt(OpenBatch batch) {
    Run run = runs.get();
    try {
      for (int i = 0; i < batch.size(); i++) {
        if (batch.outcome[i] != null) {
          continue;
        }
        if (batch.key[i] != run.key || run.aead.size() == run.aead.capacity()) {
          run.flush(batch);
          run.key = batch.key[i];
        }
        byte[] t = batch.ticket(i);
        int off = batch.ticketOffset(i);
        int j = run.aead.add(t, off + TicketFormat.IV_OFFSET, t, off, TicketFormat.HEADER_SIZE_IN_BYTES,
            t, off + TicketFormat.CIPHERTEXT_OFFSET, batch.ticketLength(i) - TicketFormat.HEADER_SIZE_IN_BYTES,
            batch.plaintext, batch.stateOffset[i]);
        run.ticketIndex[j] = i;
      }
      run.flush(batch);
    } finally {
      run.aead.clear();
      run.key = null;
    }
  }

  /**
   * Steps 4 and 5: state, expiry; a peek is then {@link Outcome#OK}. {@code null}: a consume, for the
   * store (step 7).
   */
  private Outcome checkState(OpenBatch batch, int i, long nowSeconds) {
    byte[] plaintext = batch.plaintext;
    int offset = batch.stateOffset[i];
    if (StateCodec.check(plaintext, offset, batch.stateLength(i)) != null) {
      return Outcome.MALFORMED;
    }
    long expiresAt = StateCodec.expiresAtSeconds(plaintext, offset);
    batch.expiresAtSeconds[i] = expiresAt;
    if (nowSeconds >= expiresAt + skewSeconds) {
      return Outcome.EXPIRED;
    }
    return batch.consume(i) ? null : Outcome.OK;
  }
}
