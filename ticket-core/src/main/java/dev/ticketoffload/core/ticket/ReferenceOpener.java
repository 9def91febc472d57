package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.DecodedState;
import dev.ticketoffload.core.state.StateCodec;
import java.nio.charset.StandardCharsets;

/**
 * Opens tickets by reference (format v2) one at a time, in DESIGN.md's order of checks: length and
 * version, key, the reference's tag, expiry; then the record the store holds under the id
 * ({@link Outcome#STATE_NOT_FOUND} when none), its tag under the AAD that binds realm, key id and id,
 * and its state. Every ticket and record gets an {@link Outcome}; nothing a client or a store sends
 * makes it throw. It does not consume: single use and revocation are the store's, on the server's
 * batch path. Thread-safe.
 */
public final class ReferenceOpener {

  /** Where the records are: the store's read of the record kept under {@code (realm, id)}. */
  @FunctionalInterface
  public interface Records {
    /** @return the record, or {@code null} when the store holds none under that id */
    byte[] fetch(String realm, byte[] id);
  }

  private final KeySchedule keys;
  private final long skewSeconds;

  public ReferenceOpener(KeySchedule keys, long skewSeconds) {
    if (skewSeconds < 0) {
      throw new IllegalArgumentException("skew_seconds must not be negative, got " + skewSeconds);
    }
    this.keys = keys;
    this.skewSeconds = skewSeconds;
  }

  public OpenedTicket open(String realm, byte[] ticket, long nowSeconds, Records records) {
    if (ticket.length < 1) {
      return failed(Outcome.MALFORMED, 0);
    }
    if (ticket[TicketFormat.VERSION_OFFSET] != ReferenceFormat.VERSION_2) {
      return failed(Outcome.UNSUPPORTED_VERSION, 0);
    }
    if (ticket.length != ReferenceFormat.TICKET_SIZE_IN_BYTES) {
      return failed(Outcome.MALFORMED, 0);
    }
    RealmKeys realmKeys = keys.realm(realm);
    long keyId = TicketFormat.readKeyId(ticket, 0);
    EpochKey key = realmKeys == null ? null : realmKeys.openKey(keyId, nowSeconds);
    if (key == null) {
      return failed(Outcome.UNKNOWN_KEY, 0);
    }
    byte[] reference = new byte[ReferenceFormat.REFERENCE_SIZE_IN_BYTES];
    if (!key.aead().open(ticket, TicketFormat.IV_OFFSET, ticket, 0, TicketFormat.HEADER_SIZE_IN_BYTES,
        ticket, ReferenceFormat.ID_OFFSET, ReferenceFormat.REFERENCE_SIZE_IN_BYTES + TicketFormat.TAG_SIZE_IN_BYTES,
        reference, 0)) {
      return failed(Outcome.AUTH_FAILED, 0);
    }
    long expiresAt = Bytes.getLong(reference, ReferenceFormat.ID_SIZE_IN_BYTES);
    if (nowSeconds >= expiresAt + skewSeconds) {
      return failed(Outcome.EXPIRED, expiresAt);
    }
    byte[] id = java.util.Arrays.copyOf(reference, ReferenceFormat.ID_SIZE_IN_BYTES);
    byte[] record = records.fetch(realm, id);
    if (record == null) {
      return failed(Outcome.STATE_NOT_FOUND, expiresAt);
    }
    byte[] state = new byte[Math.max(0, ReferenceFormat.recordStateLength(record.length))];
    try {
      Outcome outcome = StoreRecords.open(key, realm.getBytes(StandardCharsets.UTF_8), id, 0, record, 0,
          record.length, state, 0, expiresAt);
      if (outcome != null) {
        return failed(outcome, outcome == Outcome.AUTH_FAILED || outcome == Outcome.MALFORMED ? 0 : expiresAt);
      }
      return new OpenedTicket(Outcome.OK,
          ((DecodedState.Valid) StateCodec.decode(state, 0, state.length)).state(), expiresAt);
    } finally {
      java.util.Arrays.fill(state, (byte) 0);
    }
  }

  private static OpenedTicket failed(Outcome outcome, long expiresAt) {
    return new OpenedTicket(outcome, null, expiresAt);
  }
}
