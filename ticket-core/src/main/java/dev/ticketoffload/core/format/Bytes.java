package dev.ticketoffload.core.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian reads and writes on byte arrays, without allocation. */
public final class Bytes {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  public static long getLong(byte[] b, int offset) {
    return (long) LONG.get(b, offset);
  }

  public static void putLong(byte[] b, int offset, long value) {
    LONG.set(b, offset, value);
  }

  public static int getUnsignedShort(byte[] b, int offset) {
    return Short.toUnsignedInt((short) SHORT.get(b, offset));
  }

  public static void putShort(byte[] b, int offset, int value) {
    SHORT.set(b, offset, (short) value);
  }
}
