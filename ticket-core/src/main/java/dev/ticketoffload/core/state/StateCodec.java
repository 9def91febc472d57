package dev.ticketoffload.core.state;

import static dev.ticketoffload.core.format.StateFormat.AUTH_METHOD_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.EXPIRES_AT_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.FIXED_SIZE_IN_BYTES;
import static dev.ticketoffload.core.format.StateFormat.FLAGS_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.ISSUED_AT_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.SK_D_LENGTH_SIZE_IN_BYTES;
import static dev.ticketoffload.core.format.StateFormat.SPI_I_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.SPI_R_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.U16_LENGTH_SIZE_IN_BYTES;

import dev.ticketoffload.core.format.Bytes;

/**
 * State encoding v1, the plaintext of a ticket (DESIGN.md, "State encoding v1"; offsets in
 * {@link dev.ticketoffload.core.format.StateFormat}):
 *
 * <pre>
 * u64 issued_at | u64 expires_at | u8[8] spi_i | u8[8] spi_r | u8 auth_method | u8 flags
 * u8 sk_d_len (1..64) sk_d | u16 id_i_len (1..1024) id_i | u16 id_r_len (1..1024) id_r
 * u16 sa_r_len (1..1024) sa_r | u16 ext_len (0..1024) ext
 * </pre>
 *
 * Decoding never throws for any input: it returns {@link DecodedState.Malformed} with the reason.
 */
public final class StateCodec {

  /** Every field at its minimum length. */
  public static final int MIN_ENCODED_BYTES = FIXED_SIZE_IN_BYTES + SK_D_LENGTH_SIZE_IN_BYTES + 1
      + 3 * (U16_LENGTH_SIZE_IN_BYTES + 1) + U16_LENGTH_SIZE_IN_BYTES;
  /** Every field at its maximum length. */
  public static final int MAX_ENCODED_BYTES = FIXED_SIZE_IN_BYTES + SK_D_LENGTH_SIZE_IN_BYTES + IkeSaState.MAX_SK_D_BYTES
      + U16_LENGTH_SIZE_IN_BYTES + IkeSaState.MAX_ID_BYTES + U16_LENGTH_SIZE_IN_BYTES + IkeSaState.MAX_ID_BYTES
      + U16_LENGTH_SIZE_IN_BYTES + IkeSaState.MAX_SA_R_BYTES + U16_LENGTH_SIZE_IN_BYTES + IkeSaState.MAX_EXT_BYTES;

  private StateCodec() {}

  public static int encodedLength(IkeSaState s) {
    return FIXED_SIZE_IN_BYTES + SK_D_LENGTH_SIZE_IN_BYTES + s.skD.length + U16_LENGTH_SIZE_IN_BYTES + s.idI.length
        + U16_LENGTH_SIZE_IN_BYTES + s.idR.length + U16_LENGTH_SIZE_IN_BYTES + s.saR.length
        + U16_LENGTH_SIZE_IN_BYTES + s.ext.length;
  }

  /** Writes the encoding of {@code s} at {@code out[offset]} and returns its length. */
  public static int encode(IkeSaState s, byte[] out, int offset) {
    int p = offset;
    Bytes.putLong(out, p + ISSUED_AT_OFFSET, s.issuedAtSeconds);
    Bytes.putLong(out, p + EXPIRES_AT_OFFSET, s.expiresAtSeconds);
    System.arraycopy(s.spiI, 0, out, p + SPI_I_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES);
    System.arraycopy(s.spiR, 0, out, p + SPI_R_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES);
    out[p + AUTH_METHOD_OFFSET] = (byte) s.authMethod;
    out[p + FLAGS_OFFSET] = (byte) s.flags;
    p += FIXED_SIZE_IN_BYTES;
    out[p++] = (byte) s.skD.length;
    System.arraycopy(s.skD, 0, out, p, s.skD.length);
    p += s.skD.length;
    p = putU16Field(s.idI, out, p);
    p = putU16Field(s.idR, out, p);
    p = putU16Field(s.saR, out, p);
    p = putU16Field(s.ext, out, p);
    return p - offset;
  }

  private static int putU16Field(byte[] field, byte[] out, int p) {
    Bytes.putShort(out, p, field.length);
    System.arraycopy(field, 0, out, p + U16_LENGTH_SIZE_IN_BYTES, field.length);
    return p + U16_LENGTH_SIZE_IN_BYTES + field.length;
  }

  /**
   * Checks the structure of an encoding without allocating.
   *
   * @return {@code null} when well-formed, else the reason (a constant string)
   */
  public static String check(byte[] in, int offset, int length) {
    if (length < MIN_ENCODED_BYTES) {
      return "state shorter than the minimum of " + MIN_ENCODED_BYTES + " bytes";
    }
    int end = offset + length;
    if ((in[offset + FLAGS_OFFSET] & ~IkeSaState.FLAG_EAP) != 0) {
      return "state flags has reserved bits set";
    }
    int p = offset + FIXED_SIZE_IN_BYTES;
    int skDLength = in[p++] & 0xFF;
    if (skDLength < 1 || skDLength > IkeSaState.MAX_SK_D_BYTES) {
      return "sk_d_len out of range 1..64";
    }
    p += skDLength;
    p = skipU16Field(in, p, end, 1, IkeSaState.MAX_ID_BYTES);
    p = skipU16Field(in, p, end, 1, IkeSaState.MAX_ID_BYTES);
    p = skipU16Field(in, p, end, 1, IkeSaState.MAX_SA_R_BYTES);
    p = skipU16Field(in, p, end, 0, IkeSaState.MAX_EXT_BYTES);
    if (p < 0) {
      return "a length field is out of range or runs past the end of the state";
    }
    if (p != end) {
      return "trailing bytes after ext";
    }
    return null;
  }

  /** Returns the position after the field, or -1 when it is out of range or runs past {@code end}. */
  private static int skipU16Field(byte[] in, int p, int end, int min, int max) {
    if (p < 0 || p + U16_LENGTH_SIZE_IN_BYTES > end) {
      return -1;
    }
    int length = Bytes.getUnsignedShort(in, p);
    if (length < min || length > max || p + U16_LENGTH_SIZE_IN_BYTES + length > end) {
      return -1;
    }
    return p + U16_LENGTH_SIZE_IN_BYTES + length;
  }

  /** Decodes an encoding; never throws, whatever the bytes. */
  public static DecodedState decode(byte[] in, int offset, int length) {
    if (offset < 0 || length < 0 || offset > in.length - length) {
      return new DecodedState.Malformed("state range out of bounds");
    }
    String problem = check(in, offset, length);
    if (problem != null) {
      return new DecodedState.Malformed(problem);
    }
    int p = offset + FIXED_SIZE_IN_BYTES;
    IkeSaState.Builder b = IkeSaState.builder()
        .issuedAtSeconds(Bytes.getLong(in, offset + ISSUED_AT_OFFSET))
        .expiresAtSeconds(Bytes.getLong(in, offset + EXPIRES_AT_OFFSET))
        .spiI(slice(in, offset + SPI_I_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES))
        .spiR(slice(in, offset + SPI_R_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES))
        .authMethod(in[offset + AUTH_METHOD_OFFSET] & 0xFF)
        .flags(in[offset + FLAGS_OFFSET] & 0xFF);
    int skDLength = in[p++] & 0xFF;
    b.skD(slice(in, p, skDLength));
    p += skDLength;
    b.idI(u16Field(in, p));
    p += U16_LENGTH_SIZE_IN_BYTES + Bytes.getUnsignedShort(in, p);
    b.idR(u16Field(in, p));
    p += U16_LENGTH_SIZE_IN_BYTES + Bytes.getUnsignedShort(in, p);
    b.saR(u16Field(in, p));
    p += U16_LENGTH_SIZE_IN_BYTES + Bytes.getUnsignedShort(in, p);
    b.ext(u16Field(in, p));
    return new DecodedState.Valid(b.build());
  }

  /** Reads {@code expires_at} of an encoding that {@link #check} accepted. */
  public static long expiresAtSeconds(byte[] in, int offset) {
    return Bytes.getLong(in, offset + EXPIRES_AT_OFFSET);
  }

  private static byte[] u16Field(byte[] in, int p) {
    return slice(in, p + U16_LENGTH_SIZE_IN_BYTES, Bytes.getUnsignedShort(in, p));
  }

  private static byte[] slice(byte[] in, int from, int length) {
    return java.util.Arrays.copyOfRange(in, from, from + length);
  }
}
