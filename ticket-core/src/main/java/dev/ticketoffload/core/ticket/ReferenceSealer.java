package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.format.Bytes;
import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.format.TicketFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.IdentityKeyDerivation;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;

/**
 * Seals states by reference (format v2, docs/ticket-format.md): per state a 64-byte ticket holding an
 * encrypted random id and the expiry, and a store record holding the state encrypted under the same
 * epoch key, its AAD binding realm, key id and id. Storing the record is the caller's: a ticket whose
 * record was not stored opens as {@link Outcome#STATE_NOT_FOUND}; one whose id the store did not add
 * to its identity's index escapes revocations of that identity. Two GCM seals per state, both
 * counted against the key's seal limit. Thread-safe.
 */
public final class ReferenceSealer {

  private final KeySchedule keys;
  private final InstantSource clock;
  private final IvSource random;
  private final ThreadLocal<byte[]> aads = ThreadLocal.withInitial(() -> new byte[ReferenceFormat.MAX_RECORD_AAD_BYTES]);

  public ReferenceSealer(KeySchedule keys, InstantSource clock, IvSource random) {
    this.keys = keys;
    this.clock = clock;
    this.random = random;
  }

  /** The length of the record that sealing {@code state} by reference gives. */
  public static int recordLength(IkeSaState state) {
    return ReferenceFormat.recordLength(StateCodec.encodedLength(state));
  }

  /**
   * Seals every state under the realm's key of this second; the caller sets {@code issued_at} and
   * {@code expires_at} (at most the realm's maximum lifetime apart).
   *
   * @throws UnknownRealmException if the key ring has no such realm
   * @throws IllegalArgumentException if a state's lifetime exceeds the realm's maximum
   * @throws dev.ticketoffload.core.keys.SealLimitExceededException if the epoch key reached its limit
   */
  public SealedReference[] sealAll(String realm, List<IkeSaState> states) {
    RealmKeys realmKeys = TicketSealer.realmKeys(keys, realm);
    for (IkeSaState s : states) {
      TicketSealer.checkLifetime(realmKeys, s);
    }
    EpochKey key = realmKeys.sealKey(Math.floorDiv(clock.millis(), 1000)); // leased until the batch is sealed
    try {
      realmKeys.reserveSeals(key, 2 * states.size());
      byte[] realmUtf8 = realm.getBytes(StandardCharsets.UTF_8);
      SealedReference[] out = new SealedReference[states.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = seal(key, realmUtf8, states.get(i), null, null, null);
      }
      return out;
    } finally {
      key.release();
    }
  }

  /**
   * Seals with caller-chosen IVs, id and time: for published test vectors only. Reusing an IV under a
   * key destroys GCM's security; a chosen id is guessable.
   */
  public SealedReference sealWithFixedRandomForTestVectorsOnly(String realm, IkeSaState state, byte[] iv,
      byte[] id, byte[] recordIv, long nowSeconds) {
    RealmKeys realmKeys = TicketSealer.realmKeys(keys, realm);
    TicketSealer.checkLifetime(realmKeys, state);
    EpochKey key = realmKeys.sealKey(nowSeconds);
    try {
      return seal(key, realm.getBytes(StandardCharsets.UTF_8), state, iv, id, recordIv);
    } finally {
      key.release();
    }
  }

  /** One ticket and its record; {@code null} fixed parts are drawn from the random source. */
  private SealedReference seal(EpochKey key, byte[] realmUtf8, IkeSaState state, byte[] fixedIv, byte[] fixedId,
      byte[] fixedRecordIv) {
    byte[] ticket = new byte[ReferenceFormat.TICKET_SIZE_IN_BYTES];
    ReferenceFormat.writeHeader(ticket, 0, key.keyId());
    fill(ticket, TicketFormat.IV_OFFSET, dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES, fixedIv);
    fill(ticket, ReferenceFormat.ID_OFFSET, ReferenceFormat.ID_SIZE_IN_BYTES, fixedId);
    Bytes.putLong(ticket, ReferenceFormat.EXPIRES_AT_OFFSET, state.expiresAtSeconds());
    byte[] id = java.util.Arrays.copyOfRange(ticket, ReferenceFormat.ID_OFFSET,
        ReferenceFormat.ID_OFFSET + ReferenceFormat.ID_SIZE_IN_BYTES);

    int stateLength = StateCodec.encodedLength(state);
    byte[] record = new byte[ReferenceFormat.recordLength(stateLength)];
    record[ReferenceFormat.RECORD_VERSION_OFFSET] = ReferenceFormat.RECORD_VERSION_1;
    fill(record, ReferenceFormat.RECORD_IV_OFFSET, ReferenceFormat.RECORD_IV_SIZE_IN_BYTES, fixedRecordIv);
    StateCodec.encode(state, record, ReferenceFormat.RECORD_CIPHERTEXT_OFFSET);
    byte[] aad = aads.get();
    int aadLength = ReferenceFormat.writeRecordAad(aad, 0, realmUtf8, key.keyId(), id, 0);
    key.aead().seal(record, ReferenceFormat.RECORD_IV_OFFSET, aad, 0, aadLength,
        record, ReferenceFormat.RECORD_CIPHERTEXT_OFFSET, stateLength, record, ReferenceFormat.RECORD_CIPHERTEXT_OFFSET);
    key.aead().seal(ticket, TicketFormat.IV_OFFSET, ticket, 0, TicketFormat.HEADER_SIZE_IN_BYTES,
        ticket, ReferenceFormat.ID_OFFSET, ReferenceFormat.REFERENCE_SIZE_IN_BYTES, ticket, ReferenceFormat.ID_OFFSET);
    byte[] identityKey = new byte[IdentityKeyDerivation.IDENTITY_KEY_SIZE_IN_BYTES];
    byte[] idI = state.idI();
    key.identityKey(idI, 0, idI.length, identityKey, 0);
    return new SealedReference(ticket, id, record, state.expiresAtSeconds(), identityKey);
  }

  /** Copies {@code fixed}, or draws fresh random bytes (12 at most per draw). */
  private void fill(byte[] out, int offset, int length, byte[] fixed) {
    if (fixed != null) {
      if (fixed.length != length) {
        throw new IllegalArgumentException("expected " + length + " fixed bytes, got " + fixed.length);
      }
      System.arraycopy(fixed, 0, out, offset, length);
      return;
    }
    for (int at = 0; at < length; at += dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES) {
      random.next(out, offset + at, Math.min(dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES, length - at));
    }
  }
}
