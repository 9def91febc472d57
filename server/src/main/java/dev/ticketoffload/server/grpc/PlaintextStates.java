package dev.ticketoffload.server.grpc;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.core.format.Bytes;

/**
 * Builds the wire state of an opened ticket straight from its state encoding (DESIGN.md, "State
 * encoding v1"), which the opener has already checked: one copy per field. Going through
 * ticket-core's {@code IkeSaState} instead (decode, which checks again and copies each field, then
 * {@link ProtoStates#toProto}, whose getters copy each field again) was the largest cost of an Open
 * batch after the transport; see server/README-STORMS-DRAFT.md.
 */
final class PlaintextStates {

  private static final int SPI_I_OFFSET = 16;
  private static final int SPI_R_OFFSET = 24;
  private static final int SPI_BYTES = 8;
  private static final int AUTH_METHOD_OFFSET = 32;
  private static final int FLAGS_OFFSET = 33;
  private static final int SK_D_LENGTH_OFFSET = 34;
  private static final int FLAG_EAP = 0x01;

  private PlaintextStates() {}

  /** {@code issued_at} of a checked encoding. */
  static long issuedAtSeconds(byte[] in, int offset) {
    return Bytes.getLong(in, offset);
  }

  /** The wire state of a checked encoding at {@code offset}; undefined for unchecked bytes. */
  static IkeSaState toProto(byte[] in, int offset) {
    IkeSaState.Builder b = IkeSaState.newBuilder()
        .setSpiI(ByteString.copyFrom(in, offset + SPI_I_OFFSET, SPI_BYTES))
        .setSpiR(ByteString.copyFrom(in, offset + SPI_R_OFFSET, SPI_BYTES))
        .setAuthMethod(in[offset + AUTH_METHOD_OFFSET] & 0xFF)
        .setEap((in[offset + FLAGS_OFFSET] & FLAG_EAP) != 0);
    int p = offset + SK_D_LENGTH_OFFSET;
    int skDLength = in[p++] & 0xFF;
    b.setSkD(ByteString.copyFrom(in, p, skDLength));
    p += skDLength;
    b.setIdI(u16Field(in, p));
    p += 2 + Bytes.getUnsignedShort(in, p);
    b.setIdR(u16Field(in, p));
    p += 2 + Bytes.getUnsignedShort(in, p);
    b.setSaR(u16Field(in, p));
    p += 2 + Bytes.getUnsignedShort(in, p);
    b.setExt(u16Field(in, p));
    return b.build();
  }

  private static ByteString u16Field(byte[] in, int p) {
    int length = Bytes.getUnsignedShort(in, p);
    return length == 0 ? ByteString.EMPTY : ByteString.copyFrom(in, p + 2, length);
  }
}
