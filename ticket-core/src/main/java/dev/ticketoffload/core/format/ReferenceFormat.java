package dev.ticketoffload.core.format;

import java.nio.charset.StandardCharsets;

/**
 * Tickets by reference (RFC 5723 Appendix A.2): the byte layout of the ticket (format v2) and of the
 * record the store keeps under the ticket's id (docs/ticket-format.md). All integers are big-endian.
 *
 * <p>The ticket: a header shaped like v1's (same offsets, its own {@code format_version}) and an
 * encrypted reference. Always exactly {@link #TICKET_SIZE_IN_BYTES} bytes.
 *
 * <pre>
 *   0      1  format_version   0x02
 *   1      3  reserved         sent as 00 00 00; ignored on receipt (but authenticated)
 *   4      8  key_id           master_id (u16) || epoch (u48), as in v1
 *  12     12  iv               12 random bytes per ticket (the GCM nonce)
 *  24     16  id               } AES-256-GCM ciphertext: a random 128-bit id,
 *  40      8  expires_at       }   and the ticket's expiry (u64 unix seconds)
 *  48     16  tag              the GCM tag; AAD = the 24 header bytes
 * </pre>
 *
 * <p>The store record, kept under (realm, id) until {@code expires_at} + skew: the state encoding v1,
 * encrypted under the same epoch key as the ticket, so the store never holds SK_d or identities in
 * clear.
 *
 * <pre>
 *   0      1  record_version   0x01
 *   1     12  iv               12 random bytes per record (never the ticket's IV)
 *  13      n  ciphertext       AES-256-GCM of the state encoding v1
 *  13+n   16  tag
 *
 *  AAD = "ticket-offload/record" (21 ASCII bytes) || record_version (1)
 *        || u8 len(realm) || realm (UTF-8) || key_id (8) || id (16)
 * </pre>
 *
 * The AAD binds the record to its realm, its key and its id: a record copied under another id, into
 * another realm or next to another ticket does not authenticate. Its ASCII prefix keeps it apart from
 * the 24-byte ticket headers that the same epoch key authenticates.
 */
public final class ReferenceFormat {

  public static final byte VERSION_2 = 0x02;

  // The header is v1's: TicketFormat's VERSION_OFFSET, RESERVED_*, KEY_ID_*, IV_* apply unchanged.
  public static final int ID_OFFSET = TicketFormat.HEADER_SIZE_IN_BYTES;
  public static final int ID_SIZE_IN_BYTES = 16;
  public static final int EXPIRES_AT_OFFSET = ID_OFFSET + ID_SIZE_IN_BYTES;
  /** The encrypted reference: id and expires_at. */
  public static final int REFERENCE_SIZE_IN_BYTES = ID_SIZE_IN_BYTES + 8;
  public static final int TAG_OFFSET = EXPIRES_AT_OFFSET + 8;
  public static final int TICKET_SIZE_IN_BYTES = TAG_OFFSET + dev.ticketoffload.core.aead.AeadBackend.TAG_SIZE_IN_BYTES;

  public static final byte RECORD_VERSION_1 = 0x01;
  public static final int RECORD_VERSION_OFFSET = 0;
  public static final int RECORD_IV_OFFSET = 1;
  public static final int RECORD_IV_SIZE_IN_BYTES = 12;
  public static final int RECORD_CIPHERTEXT_OFFSET = RECORD_IV_OFFSET + RECORD_IV_SIZE_IN_BYTES;
  /** Version, IV and tag: everything in a record but the encrypted state. */
  public static final int RECORD_OVERHEAD_IN_BYTES = RECORD_CIPHERTEXT_OFFSET + dev.ticketoffload.core.aead.AeadBackend.TAG_SIZE_IN_BYTES;

  private static final byte[] RECORD_AAD_LABEL = "ticket-offload/record".getBytes(StandardCharsets.US_ASCII);
  /** The longest record AAD: label, version, realm length and realm of 64 bytes, key id, id. */
  public static final int MAX_RECORD_AAD_BYTES = RECORD_AAD_LABEL.length + 1 + 1 + 64 + 8 + ID_SIZE_IN_BYTES;

  private ReferenceFormat() {}

  public static int recordLength(int stateLength) {
    return RECORD_OVERHEAD_IN_BYTES + stateLength;
  }

  /** The length of the state a record of {@code recordLength} bytes holds (negative when too short). */
  public static int recordStateLength(int recordLength) {
    return recordLength - RECORD_OVERHEAD_IN_BYTES;
  }

  /** Writes version, reserved bytes and key id of a ticket by reference; the IV is written by the caller. */
  public static void writeHeader(byte[] ticket, int offset, long keyId) {
    TicketFormat.writeHeader(ticket, offset, keyId);
    ticket[offset + TicketFormat.VERSION_OFFSET] = VERSION_2;
  }

  /**
   * Writes the record AAD for {@code realm} (its UTF-8 bytes, at most 64), {@code keyId} and the id at
   * {@code id[idOffset]} into {@code out[offset]}.
   *
   * @return the AAD's length
   */
  public static int writeRecordAad(byte[] out, int offset, byte[] realmUtf8, long keyId, byte[] id, int idOffset) {
    if (realmUtf8.length > 64) {
      throw new IllegalArgumentException("realm is longer than 64 bytes");
    }
    int at = offset;
    System.arraycopy(RECORD_AAD_LABEL, 0, out, at, RECORD_AAD_LABEL.length);
    at += RECORD_AAD_LABEL.length;
    out[at++] = RECORD_VERSION_1;
    out[at++] = (byte) realmUtf8.length;
    System.arraycopy(realmUtf8, 0, out, at, realmUtf8.length);
    at += realmUtf8.length;
    Bytes.putLong(out, at, keyId);
    at += 8;
    System.arraycopy(id, idOffset, out, at, ID_SIZE_IN_BYTES);
    return at + ID_SIZE_IN_BYTES - offset;
  }
}
