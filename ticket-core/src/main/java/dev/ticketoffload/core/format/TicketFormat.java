package dev.ticketoffload.core.format;

import dev.ticketoffload.core.aead.AeadBackend;

/**
 * Ticket format v1: the byte layout of a sealed ticket (DESIGN.md, "Ticket format v1"). All integers
 * are big-endian.
 *
 * <pre>
 *   0      1  format_version   0x01
 *   1      3  reserved         sent as 00 00 00; ignored on receipt (but authenticated)
 *   4      8  key_id           master_id (u16) || epoch (u48)
 *  12     12  iv               12 random bytes per ticket (the GCM nonce)
 *  24      n  ciphertext       AES-256-GCM of the state encoding
 *  24+n   16  tag              the GCM tag
 * </pre>
 *
 * The AAD is the 24 header bytes. The iv field is the GCM nonce: {@link AeadBackend#IV_SIZE_IN_BYTES}
 * bytes, the one IV size of the project. The state encoding's own offsets are {@link StateFormat}'s.
 */
public final class TicketFormat {

  public static final byte VERSION_1 = 0x01;

  public static final int VERSION_OFFSET = 0;
  public static final int RESERVED_OFFSET = 1;
  public static final int RESERVED_SIZE_IN_BYTES = 3;
  public static final int KEY_ID_OFFSET = 4;
  public static final int KEY_ID_SIZE_IN_BYTES = 8;
  public static final int IV_OFFSET = KEY_ID_OFFSET + KEY_ID_SIZE_IN_BYTES;
  public static final int HEADER_SIZE_IN_BYTES = IV_OFFSET + AeadBackend.IV_SIZE_IN_BYTES;
  public static final int CIPHERTEXT_OFFSET = HEADER_SIZE_IN_BYTES;
  /** Header and tag ({@link AeadBackend#TAG_SIZE_IN_BYTES}): everything in a ticket but the encrypted state. */
  public static final int OVERHEAD_IN_BYTES = HEADER_SIZE_IN_BYTES + AeadBackend.TAG_SIZE_IN_BYTES;

  public static final int MAX_MASTER_ID = 0xFFFF;
  public static final long MAX_EPOCH = (1L << 48) - 1;

  /** Default for {@code max_ticket_bytes}. */
  public static final int DEFAULT_MAX_TICKET_BYTES = 2048;

  private TicketFormat() {}

  /** {@code master_id (u16) || epoch (u48)}. */
  public static long keyId(int masterId, long epoch) {
    if (masterId < 0 || masterId > MAX_MASTER_ID) {
      throw new IllegalArgumentException("master_id must be 0..65535, got " + masterId);
    }
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch must be 0..2^48-1, got " + epoch);
    }
    return ((long) masterId << 48) | epoch;
  }

  public static int masterId(long keyId) {
    return (int) (keyId >>> 48);
  }

  public static long epoch(long keyId) {
    return keyId & MAX_EPOCH;
  }

  public static int ticketLength(int stateLength) {
    return OVERHEAD_IN_BYTES + stateLength;
  }

  /** Writes version, reserved bytes and key id; the IV is written by the caller. */
  public static void writeHeader(byte[] ticket, int offset, long keyId) {
    ticket[offset + VERSION_OFFSET] = VERSION_1;
    ticket[offset + RESERVED_OFFSET] = 0;
    ticket[offset + RESERVED_OFFSET + 1] = 0;
    ticket[offset + RESERVED_OFFSET + 2] = 0;
    Bytes.putLong(ticket, offset + KEY_ID_OFFSET, keyId);
  }

  public static long readKeyId(byte[] ticket, int offset) {
    return Bytes.getLong(ticket, offset + KEY_ID_OFFSET);
  }
}
