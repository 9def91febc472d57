package dev.ticketoffload.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf bytes written by hand, as a client in another language sends them: field numbers and
 * wire types only, no generated Java class, so unsigned values (uint32 4294967295, uint64
 * 2^64-1) go on the wire exactly as a C gateway writes them.
 */
public final class RawProto {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A varint field (wire type 0) holding the unsigned value {@code value} (all 64 bits). */
  public RawProto varint(int field, long value) {
    writeVarint(((long) field << 3));
    writeVarint(value);
    return this;
  }

  /** A length-delimited field (wire type 2). */
  public RawProto bytes(int field, byte[] value) {
    writeVarint(((long) field << 3) | 2);
    writeVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  public RawProto string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A nested message. */
  public RawProto message(int field, RawProto value) {
    return bytes(field, value.toByteArray());
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void writeVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
