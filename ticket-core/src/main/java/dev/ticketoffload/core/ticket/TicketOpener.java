package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.IdentityKeyDerivation;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeyLeases;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;
import java.nio.charset.StandardCharsets;

/**
 * Opens tickets of both formats (v1 by value, v2 by reference) in the order of checks of DESIGN.md:
 * length and version, key, tag, state, expiry, revocation, the record of a ticket by reference,
 * single use. Every ticket gets an {@link Outcome}; nothing a client sends makes it throw. Consecutive
 * tickets under the same key are decrypted as one backend batch. Thread-safe.
 */
public final class TicketOpener {

  private static final int AEAD_BATCH_SIZE = 256;

  private final KeySchedule keys;
  private final int maxTicketBytes;
  private final long skewSeconds;
  private final ThreadLocal<Run> runs = ThreadLocal.withInitial(Run::new);
  private final ThreadLocal<StateView> views = ThreadLocal.withInitial(StateView::new);
  private final ThreadLocal<byte[]> identityKeys =
      ThreadLocal.withInitial(() -> new byte[IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES]);

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
   * expiry and the store all see it); outcomes are read from the batch. Tickets of both formats open
   * whatever the realm's current mode. Every ticket that passes tag and expiry is looked up in
   * {@code store} (revocations; the record of a ticket by reference) together with the batch's
   * consumes, in one {@link SingleUseStore#lookUpAndConsume} call, the only one per batch: a ticket by
   * reference is asked only for revocations kept under its id (its IDi is inside its record; a
   * revocation of an identity finds the ids of its tickets by reference in the store's index).
   *
   * @throws RuntimeException whatever {@code store} throws when it cannot answer: then none of the
   *     batch's outcomes may be sent
   */
  public void openAll(String realm, OpenBatch batch, long nowSeconds, SingleUseStore store) {
    Run run = runs.get();
    try {
      openAll(realm, batch, nowSeconds, store, run);
    } finally {
      run.leases.releaseAll(); // the batch no longer uses them: a key retired meanwhile closes now
    }
  }

  private void openAll(String realm, OpenBatch batch, long nowSeconds, SingleUseStore store, Run run) {
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
    ConsumeBatch consumes = batch.consumes;
    StoreLookups lookups = batch.lookups;
    consumes.clear();
    lookups.clear();
    // asked once per batch: a realm without revocations needs no identity key (an HMAC per ticket)
    boolean identities = store.mayHoldRevocations(realm);
    for (int i = 0; i < batch.size(); i++) {
      if (batch.outcome[i] == null) {
        batch.outcome[i] = checkState(batch, i, nowSeconds);
        if (batch.outcome[i] == null) {
          queueStore(batch, i, identities);
        }
      }
    }
    if (lookups.size() == 0) {
      return;
    }
    store.lookUpAndConsume(realm, lookups, consumes, nowSeconds);
    for (int j = 0; j < consumes.size(); j++) {
      if (consumes.result(j) == null) {
        throw new IllegalStateException("the single-use store left consume " + j + " unanswered");
      }
    }
    openRecords(realm, batch);
    for (int j = 0; j < consumes.size(); j++) {
      int i = consumes.item[j];
      if (batch.outcome[i] == null && consumes.result(j) == ConsumeResult.REPLAYED) {
        batch.outcome[i] = Outcome.REPLAYED;
      }
    }
    for (int j = 0; j < lookups.size(); j++) {
      int i = lookups.item[j];
      if (batch.outcome[i] == null) {
        batch.outcome[i] = Outcome.OK;
      }
    }
  }

  /**
   * Revocations first (step 6), then the record of each ticket by reference: none is
   * {@link Outcome#STATE_NOT_FOUND}; one that does not open under its AAD is {@link Outcome#AUTH_FAILED}
   * or {@link Outcome#MALFORMED}. The states land in the batch's record scratch array.
   */
  private void openRecords(String realm, OpenBatch batch) {
    StoreLookups lookups = batch.lookups;
    int recordBytes = 0;
    for (int j = 0; j < lookups.size(); j++) {
      int i = lookups.item[j];
      if (lookups.revoked(j)) {
        batch.outcome[i] = Outcome.REVOKED;
      } else if (lookups.byReference(j)) {
        byte[] record = lookups.record(j);
        if (record == null) {
          batch.outcome[i] = Outcome.STATE_NOT_FOUND;
        } else {
          recordBytes += Math.max(0, ReferenceFormat.recordStateLength(record.length));
        }
      }
    }
    if (batch.recordPlaintext.length < recordBytes) {
      java.util.Arrays.fill(batch.recordPlaintext, (byte) 0);
      batch.recordPlaintext = new byte[Math.max(recordBytes, batch.recordPlaintext.length * 2)];
      batch.recordPlaintextUsed = 0;
    }
    batch.recordPlaintextUsed = Math.max(batch.recordPlaintextUsed, recordBytes);
    byte[] realmUtf8 = realm.getBytes(StandardCharsets.UTF_8);
    int at = 0;
    for (int j = 0; j < lookups.size(); j++) {
      int i = lookups.item[j];
      if (batch.outcome[i] != null || !lookups.byReference(j)) {
        continue;
      }
      byte[] record = lookups.record(j);
      int stateLength = ReferenceFormat.recordStateLength(record.length);
      Outcome failed = StoreRecords.open(batch.key[i], realmUtf8, batch.plaintext, batch.stateOffset[i], record, 0,
          record.length, batch.recordPlaintext, at, batch.expiresAtSeconds[i]);
      if (failed != null) {
        batch.outcome[i] = failed;
        batch.expiresAtSeconds[i] = 0;
        continue;
      }
      batch.stateArray[i] = batch.recordPlaintext;
      batch.stateAt[i] = at;
      batch.stateLen[i] = stateLength;
      at += stateLength;
    }
  }

  /**
   * Steps 6 and 7 for ticket {@code i}, queued so the store is asked once per batch: its revocations
   * (by value: ticket and identity; by reference: under its id), its record when by reference, its
   * consume unless it only peeks. Without {@code identities} a ticket by value is not asked about
   * its identity (the realm holds no revocation).
   */
  private void queueStore(OpenBatch batch, int i, boolean identities) {
    byte[] t = batch.ticket(i);
    int off = batch.ticketOffset(i);
    long keyId = TicketFormat.readKeyId(t, off);
    StoreLookups lookups = batch.lookups;
    int k = batch.byReference[i]
        ? lookups.add(keyId, t, off + TicketFormat.IV_OFFSET, false, batch.plaintext, batch.stateOffset[i])
        : lookups.add(keyId, t, off + TicketFormat.IV_OFFSET, true, null, 0);
    lookups.item[k] = i;
    if (!batch.byReference[i]) {
      if (identities) {
        StateView view = views.get().wrap(batch.plaintext, batch.stateOffset[i]);
        byte[] identityKey = identityKeys.get();
        batch.key[i].identityKey(view.buffer(), view.offset(StateView.Field.ID_I),
            view.length(StateView.Field.ID_I), identityKey, 0);
        lookups.setIdentity(k, identityKey, 0, view.issuedAtSeconds());
      }
      batch.stateArray[i] = batch.plaintext;
      batch.stateAt[i] = batch.stateOffset[i];
      batch.stateLen[i] = batch.stateLength(i);
    }
    if (batch.consume(i)) {
      lookups.setConsume(k, queueConsume(batch, i));
    }
  }

  /** Step 7 for ticket {@code i}: queued, so the store is asked once per batch. */
  private static int queueConsume(OpenBatch batch, int i) {
    byte[] t = batch.ticket(i);
    int off = batch.ticketOffset(i);
    int j = batch.consumes.add(TicketFormat.readKeyId(t, off), t, off + TicketFormat.IV_OFFSET,
        batch.expiresAtSeconds[i], batch.attempt(i), batch.attemptOffset(i), batch.attemptLength(i));
    batch.consumes.item[j] = i;
    return j;
  }

  /** Steps 1 and 2: length, version, key. {@code null} means "go on". */
  private Outcome checkHeader(OpenBatch batch, int i, RealmKeys realm, long nowSeconds, KeyLeases leases) {
    byte[] ticket = batch.ticket(i);
    int offset = batch.ticketOffset(i);
    int length = batch.ticketLength(i);
    if (length > 0 && ticket[offset + TicketFormat.VERSION_OFFSET] == ReferenceFormat.VERSION_2) {
      if (length != ReferenceFormat.TICKET_SIZE_IN_BYTES) {
        return Outcome.MALFORMED;
      }
      batch.byReference[i] = true;
    } else if (length < TicketFormat.OVERHEAD_IN_BYTES + StateCodec.MIN_ENCODED_BYTES || length > maxTicketBytes) {
      return Outcome.MALFORMED;
    } else if (ticket[offset + TicketFormat.VERSION_OFFSET] != TicketFormat.VERSION_1) {
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
   * Steps 4 and 5: state (by value), expiry. {@code null}: go on to the store (steps 6 and 7).
   */
  private Outcome checkState(OpenBatch batch, int i, long nowSeconds) {
    byte[] plaintext = batch.plaintext;
    int offset = batch.stateOffset[i];
    if (batch.byReference[i]) {
      long expiresAt = Bytes.getLong(plaintext, offset + ReferenceFormat.ID_SIZE_IN_BYTES);
      batch.expiresAtSeconds[i] = expiresAt;
      return nowSeconds >= expiresAt + skewSeconds ? Outcome.EXPIRED : null;
    }
    if (StateCodec.check(plaintext, offset, batch.stateLength(i)) != null) {
      return Outcome.MALFORMED;
    }
    long expiresAt = StateCodec.expiresAtSeconds(plaintext, offset);
    batch.expiresAtSeconds[i] = expiresAt;
    if (nowSeconds >= expiresAt + skewSeconds) {
      return Outcome.EXPIRED;
    }
    return null;
  }
}
