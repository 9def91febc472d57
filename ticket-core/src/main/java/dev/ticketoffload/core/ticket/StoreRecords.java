package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.format.ReferenceFormat;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.state.StateCodec;

/**
 * Opens the store record of a ticket by reference (docs/ticket-format.md): checks its shape, verifies
 * its tag under the AAD that binds realm, key id and id, and checks the state it holds. A record the
 * store gives back is as untrusted as a ticket a client sends: every failure is an {@link Outcome}.
 */
public final class StoreRecords {

  private static final ThreadLocal<byte[]> AADS =
      ThreadLocal.withInitial(() -> new byte[ReferenceFormat.MAX_RECORD_AAD_BYTES]);

  private StoreRecords() {}

  /**
   * Decrypts the record at {@code record[offset]} into {@code out[outOffset]}
   * ({@link ReferenceFormat#recordStateLength} bytes).
   *
   * @param key the epoch key of the ticket that referenced the record
   * @param expiresAtSeconds the ticket's expiry: the state must say the same
   * @return {@code null} when the state is there and valid; {@link Outcome#MALFORMED} for a record too
   *     short or of another version, or a state that does not parse or disagrees with the ticket;
   *     {@link Outcome#AUTH_FAILED} when the tag does not verify (tampered, or sealed for another id,
   *     key or realm). On failure {@code out} holds no plaintext.
   */
  public static Outcome open(EpochKey key, byte[] realmUtf8, byte[] id, int idOffset, byte[] record, int offset,
      int length, byte[] out, int outOffset, long expiresAtSeconds) {
    int stateLength = ReferenceFormat.recordStateLength(length);
    if (stateLength < StateCodec.MIN_ENCODED_BYTES || stateLength > StateCodec.MAX_ENCODED_BYTES
        || record[offset + ReferenceFormat.RECORD_VERSION_OFFSET] != ReferenceFormat.RECORD_VERSION_1) {
      return Outcome.MALFORMED;
    }
    byte[] aad = AADS.get();
    int aadLength = ReferenceFormat.writeRecordAad(aad, 0, realmUtf8, key.keyId(), id, idOffset);
    if (!key.aead().open(record, offset + ReferenceFormat.RECORD_IV_OFFSET, aad, 0, aadLength,
        record, offset + ReferenceFormat.RECORD_CIPHERTEXT_OFFSET, length - ReferenceFormat.RECORD_CIPHERTEXT_OFFSET,
        out, outOffset)) {
      return Outcome.AUTH_FAILED;
    }
    if (StateCodec.check(out, outOffset, stateLength) != null
        || StateCodec.expiresAtSeconds(out, outOffset) != expiresAtSeconds) {
      java.util.Arrays.fill(out, outOffset, outOffset + stateLength, (byte) 0);
      return Outcome.MALFORMED;
    }
    return null;
  }
}
