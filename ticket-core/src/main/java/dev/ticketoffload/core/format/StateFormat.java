package dev.ticketoffload.core.format;

/**
 * State encoding v1, the plaintext of a ticket (DESIGN.md, "State encoding v1"): the offsets of its
 * fixed part and the sizes of its length prefixes, beside {@link TicketFormat}'s. All integers are
 * big-endian. The field limits (1..64 bytes of SK_d, ...) belong to the state itself
 * ({@code dev.ticketoffload.core.state.IkeSaState}).
 *
 * <pre>
 *   0      8  issued_at       u64, unix seconds
 *   8      8  expires_at      u64, unix seconds
 *  16      8  spi_i
 *  24      8  spi_r
 *  32      1  auth_method
 *  33      1  flags           bit 0: EAP was used
 *  34      1  sk_d_len        then sk_d
 *   .      2  id_i_len        then id_i    (u16)
 *   .      2  id_r_len        then id_r    (u16)
 *   .      2  sa_r_len        then sa_r    (u16)
 *   .      2  ext_len         then ext     (u16)
 * </pre>
 */
public final class StateFormat {

  public static final int ISSUED_AT_OFFSET = 0;
  public static final int EXPIRES_AT_OFFSET = 8;
  public static final int SPI_I_OFFSET = 16;
  public static final int SPI_R_OFFSET = 24;
  public static final int AUTH_METHOD_OFFSET = 32;
  public static final int FLAGS_OFFSET = 33;
  /** The fixed part ends here; {@code sk_d_len} and the variable fields follow. */
  public static final int FIXED_SIZE_IN_BYTES = 34;
  public static final int SK_D_LENGTH_OFFSET = FIXED_SIZE_IN_BYTES;
  public static final int SK_D_LENGTH_SIZE_IN_BYTES = 1;
  /** The length prefix of id_i, id_r, sa_r and ext. */
  public static final int U16_LENGTH_SIZE_IN_BYTES = 2;

  private StateFormat() {}
}
