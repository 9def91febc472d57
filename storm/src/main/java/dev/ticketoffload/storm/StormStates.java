package dev.ticketoffload.storm;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.IkeSaState;

/**
 * The state of ticket {@code i}, made again from {@code i} whenever it is needed, so a storm of a
 * million tickets keeps no million states in memory to compare against.
 *
 * <p>Every state of one storm has the same encoded size, so every ticket has the same length
 * (see {@link TicketStore}). The default is the reference shape of the published test vectors
 * (SK_d 32 bytes, IDi 20, IDr 24, SAr 40, no ext): 159 bytes of plaintext, a 199-byte ticket.
 */
final class StormStates {

  /** DESIGN.md's state encoding: fixed fields and length prefixes, without the variable bytes. */
  static final int FIXED_PLAINTEXT_BYTES = 8 + 8 + 8 + 8 + 1 + 1 + 1 + 2 + 2 + 2 + 2;
  private static final int SK_D = 32;
  private static final int ID_I = 20;
  private static final int ID_R = 24;
  private static final int SA_R = 40;
  static final int REFERENCE_PLAINTEXT_BYTES = FIXED_PLAINTEXT_BYTES + SK_D + ID_I + ID_R + SA_R;
  private static final int MAX_FIELD = 1024;
  static final int MAX_PLAINTEXT_BYTES = REFERENCE_PLAINTEXT_BYTES + MAX_FIELD + (MAX_FIELD - SA_R) + (MAX_FIELD - ID_I);

  private final int idIBytes;
  private final int saRBytes;
  private final int extBytes;
  // Shared read-only filler: the bytes that do not identify a ticket need not be rebuilt per state.
  private final ByteString idR;
  private final ByteString saR;
  private final ByteString ext;

  /** @param plaintextBytes 0 for the reference shape, else the state encoding's size in bytes */
  StormStates(int plaintextBytes) {
    int size = plaintextBytes == 0 ? REFERENCE_PLAINTEXT_BYTES : plaintextBytes;
    if (size < REFERENCE_PLAINTEXT_BYTES || size > MAX_PLAINTEXT_BYTES) {
      throw new IllegalArgumentException("--state-bytes must be 0 (reference shape, " + REFERENCE_PLAINTEXT_BYTES
          + " bytes) or in [" + REFERENCE_PLAINTEXT_BYTES + ", " + MAX_PLAINTEXT_BYTES + "], got " + plaintextBytes);
    }
    // Grow ext first, then SAr, then IDi: the fields a real gateway fills when it keeps more state.
    int extra = size - REFERENCE_PLAINTEXT_BYTES;
    this.extBytes = Math.min(extra, MAX_FIELD);
    extra -= extBytes;
    this.saRBytes = SA_R + Math.min(extra, MAX_FIELD - SA_R);
    extra -= saRBytes - SA_R;
    this.idIBytes = ID_I + extra;
    this.idR = filler(ID_R, 0x52);
    this.saR = filler(saRBytes, 0x53);
    this.ext = filler(extBytes, 0x45);
  }

  int plaintextBytes() {
    return REFERENCE_PLAINTEXT_BYTES + extBytes + (saRBytes - SA_R) + (idIBytes - ID_I);
  }

  /** The state of ticket {@code i}: SPIi, SK_d and IDi carry {@code i}, so no two are equal. */
  IkeSaState state(long i) {
    return IkeSaState.newBuilder()
        .setSpiI(UnsafeByteOperations.unsafeWrap(longBytes(i)))
        .setSpiR(UnsafeByteOperations.unsafeWrap(longBytes(~i)))
        .setAuthMethod((int) (i % 3) == 0 ? 14 : 1)
        .setEap(i % 2 == 0)
        .setSkD(UnsafeByteOperations.unsafeWrap(seeded(SK_D, i)))
        .setIdI(UnsafeByteOperations.unsafeWrap(seeded(idIBytes, i * 7 + 1)))
        .setIdR(idR)
        .setSaR(saR)
        .setExt(ext)
        .build();
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int k = 0; k < 8; k++) {
      b[k] = (byte) (v >>> (56 - 8 * k));
    }
    return b;
  }

  private static byte[] seeded(int length, long seed) {
    byte[] b = new byte[length];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int k = 0; k < length; k++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[k] = (byte) x;
    }
    return b;
  }

  private static ByteString filler(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return UnsafeByteOperations.unsafeWrap(b);
  }
}
