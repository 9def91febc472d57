package dev.ticketoffload.core.state;

import static dev.ticketoffload.core.format.StateFormat.AUTH_METHOD_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.EXPIRES_AT_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.FLAGS_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.ISSUED_AT_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.SK_D_LENGTH_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.SK_D_LENGTH_SIZE_IN_BYTES;
import static dev.ticketoffload.core.format.StateFormat.SPI_I_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.SPI_R_OFFSET;
import static dev.ticketoffload.core.format.StateFormat.U16_LENGTH_SIZE_IN_BYTES;

import dev.ticketoffload.core.format.Bytes;

/**
 * A reusable read-only view of a state encoding that {@link StateCodec#check} accepted: field values
 * and the offsets of the byte fields, so a caller can copy each field once, straight into its own
 * message, without an intermediate {@link IkeSaState}. Not thread-safe; one per thread.
 */
public final class StateView {

  /** The variable byte fields, in encoding order after the fixed part. */
  public enum Field { SPI_I, SPI_R, SK_D, ID_I, ID_R, SA_R, EXT }

  private final int[] offset = new int[Field.values().length];
  private final int[] length = new int[Field.values().length];
  private byte[] buffer;
  private int start;

  /**
   * Points the view at an encoding; the caller guarantees {@link StateCodec#check} accepted it.
   *
   * @return this view
   */
  public StateView wrap(byte[] encoding, int from) {
    buffer = encoding;
    start = from;
    set(Field.SPI_I, from + SPI_I_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES);
    set(Field.SPI_R, from + SPI_R_OFFSET, IkeSaState.SPI_SIZE_IN_BYTES);
    int p = from + SK_D_LENGTH_OFFSET;
    set(Field.SK_D, p + SK_D_LENGTH_SIZE_IN_BYTES, encoding[p] & 0xFF);
    p += SK_D_LENGTH_SIZE_IN_BYTES + (encoding[p] & 0xFF);
    for (int f = Field.ID_I.ordinal(); f <= Field.EXT.ordinal(); f++) {
      int n = Bytes.getUnsignedShort(encoding, p);
      offset[f] = p + U16_LENGTH_SIZE_IN_BYTES;
      length[f] = n;
      p += U16_LENGTH_SIZE_IN_BYTES + n;
    }
    return this;
  }

  private void set(Field f, int at, int n) {
    offset[f.ordinal()] = at;
    length[f.ordinal()] = n;
  }

  /** The array the view reads; field {@code f} is at {@link #offset(Field)}. */
  public byte[] buffer() { return buffer; }
  public int offset(Field f) { return offset[f.ordinal()]; }
  public int length(Field f) { return length[f.ordinal()]; }
  public long issuedAtSeconds() { return Bytes.getLong(buffer, start + ISSUED_AT_OFFSET); }
  public long expiresAtSeconds() { return Bytes.getLong(buffer, start + EXPIRES_AT_OFFSET); }
  public int authMethod() { return buffer[start + AUTH_METHOD_OFFSET] & 0xFF; }
  public int flags() { return buffer[start + FLAGS_OFFSET] & 0xFF; }
}
