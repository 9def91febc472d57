package dev.ticketoffload.core.state;

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
    set(Field.SPI_I, from + 16, IkeSaState.SPI_SIZE_IN_BYTES);
    set(Field.SPI_R, from + 24, IkeSaState.SPI_SIZE_IN_BYTES);
    int p = from + 34;
    set(Field.SK_D, p + 1, encoding[p] & 0xFF);
    p += 1 + (encoding[p] & 0xFF);
    for (int f = Field.ID_I.ordinal(); f <= Field.EXT.ordinal(); f++) {
      int n = Bytes.getUnsignedShort(encoding, p);
      offset[f] = p + 2;
      length[f] = n;
      p += 2 + n;
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
  public long issuedAtSeconds() { return Bytes.getLong(buffer, start); }
  public long expiresAtSeconds() { return Bytes.getLong(buffer, start + 8); }
  public int authMethod() { return buffer[start + 32] & 0xFF; }
  public int flags() { return buffer[start + 33] & 0xFF; }
}
