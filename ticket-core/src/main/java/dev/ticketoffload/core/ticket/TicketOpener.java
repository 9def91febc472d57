package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeyLeases;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.StateCodec;
import java.time.InstantSource;

/**
 * Opens tickets in the order of checks of DESIGN.md: length and version, key, tag, state, expiry,
 * single use. Every ticket gets an {@link Outcome}; nothing a client sends makes it throw. Consecutive
 * tickets under the same key are decrypted as one backend batch. Thread-safe.
 */
public final class TicketOpener {

  private static final int AEAD_BATCH_SIZE = 256;

  private final KeySchedule keys;
  private final InstantSource clock;
  private final SingleUseGuard guard;
  private final int maxTicketBytes;
  private final long skewSeconds;
  private final ThreadLocal<Run> runs = ThreadLocal.withInitial(Run::new);

  /**
   * @param maxTicketBytes longer tickets are {@link Outcome#MALFORMED} ({@code max_ticket_bytes})
   * @param skewSeconds a ticket is {@link Outcome#EXPIRED} when {@code now >= expires_at + skew}
   */
  public TicketOpener(KeySchedule keys, InstantSource clock, SingleUseGuard guard, int maxTicketBytes,
      long skewSeconds) {
    if (skewSeconds < 0) {
      throw new IllegalArgumentException("skew_seconds must not be negative, got " + skewSeconds);
    }
    this.keys = keys;
    this.clock = clock;
    this.guard = guard;
    this.maxTicketBytes = maxTicketBytes;
    this.skewSeconds = skewSeconds;
  }

  /** Opens one ticket (convenience for tests and tools; the service uses {@link #openAll}). */
  public OpenedTicket open(String realm, byte[] ticket, boolean consume) {
    OpenBatch batch = new OpenBatch(1);
    batch.add(ticket, consume);
    openAll(realm, batch);
    Outcome outcome = batch.outcome(0);
    return new OpenedTicket(outcome, outcome == Outcome.OK ? batch.state(0) : null,
        batch.expiresAtSeconds(0));
  }

  /** Opens every ticket of {@code batch} at the opener's clock; outcomes are read from the batch. */
  public void openAll(String realm, OpenBatch batch) {
    openAll(realm, batch, Math.floorDiv(clock.millis(), 1000));
  }

  /** As {@link #openAll(String, OpenBatch)}, at {@code nowSeconds}. */
  public void openAll(String realm, OpenBatch batch, long nowSeconds) {
    openAll(realm, batch, nowSeconds, guard);
  }

  /**
   * As {@link #openAll(String, OpenBatch, long)}, recording consumed tickets in {@code guard} instead
   * of the opener's own (a server hands in a guard bound to this batch's reservation).
   */
  public void openAll(String realm, OpenBatch batch, long nowSeconds, SingleUseGuard guard) {
    Run run = runs.get();
    try {
      openAll(realm, batch, nowSeconds, guard, run);
    } finally {
      run.leases.releaseAll(); // the batch no longer uses them: a key retired meanwhile closes now
    }
  }

  private void openAll(String realm, OpenBatch batch, long nowSeconds, SingleUseGuard guard, Run run) {
    RealmKeys realmKeys = keys.realm(realm);
    int plaintextBytes = 0;
    for (int i = 0; i < batch.size(); i++) {
      batch.outcome[i] = checkHeader(batch, i, realmKeys, nowSeconds, run.leases);
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
    decrypt(batch, run);
    int consuming = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (batch.outcome[i] == null) {
        batch.outcome[i] = checkState(batch, i, nowSeconds);
        if (batch.outcome[i] == null) {
          queueConsume(batch, i, consuming++);
        }
      }
    }
    if (consuming > 0) {
      guard.firstUseAll(consuming, batch.guardKeyId, batch.guardIv, batch.guardIvOffset, batch.guardExpiresAt,
          batch.guardFirstUse);
      for (int j = 0; j < consuming; j++) {
        batch.outcome[batch.guardItem[j]] = batch.guardFirstUse[j] ? Outcome.OK : Outcome.REPLAYED;
      }
    }
  }

  /** Step 6 for ticket {@code i}: queued, so the guard is asked once per batch. */
  private static void queueConsume(OpenBatch batch, int i, int j) {
    byte[] t = batch.ticket(i);
    int off = batch.ticketOffset(i);
    batch.guardKeyId[j] = TicketFormat.readKeyId(t, off);
    batch.guardIv[j] = t;
    batch.guardIvOffset[j] = off + TicketFormat.IV_OFFSET;
    batch.guardExpiresAt[j] = batch.expiresAtSeconds[i];
    batch.guardItem[j] = i;
  }

  /** Steps 1 and 2: length, version, key. {@code null} means "go on". */
  private Outcome checkHeader(OpenBatch batch, int i, RealmKeys realm, long nowSeconds, KeyLeases leases) {
    byte[] ticket = batch.ticket(i);
    int offset = batch.ticketOffset(i);
    int length = batch.ticketLength(i);
    if (length < TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES || length > maxTicketBytes) {
      return Outcome.MALFORMED;
    }
    if (ticket[offset + TicketFormat.VERSION_OFFSET] != TicketFormat.VERSION_1) {
      return Outcome.UNSUPPORTED_VERSION;
    }
    long keyId = TicketFormat.readKeyId(ticket, offset);
    EpochKey key = leases.find(keyId);
    if (key == null && realm != null) {
      key = leases.add(realm.openKey(keyId, nowSeconds)); // one lease per key and batch, not per ticket
    }
    if (key == null) {
      return Outcome.UNKNOWN_KEY;
    }
    batch.key[i] = key;
    return null;
  }

  /**
   * A backend batch and, per backend item, the index of its ticket in the {@link OpenBatch}; the keys
   * the batch leased.
   */
  private static final class Run {
    final AeadBatch aead = new AeadBatch(AEAD_BATCH_SIZE);
    final KeyLeases leases = new KeyLeases();
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
  private void decrypt(OpenBatch batch, Run run) {
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
   * guard (step 6).
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
