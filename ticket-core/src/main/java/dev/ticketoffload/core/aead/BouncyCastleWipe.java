package dev.ticketoffload.core.aead;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Zeroes what a Bouncy Castle cipher keeps of a key: AES round keys, GCM's hash key H and its
 * multiplication tables, the last key, counters and buffers. Bouncy Castle has no call for that (a
 * re-init allocates new arrays and leaves the old ones to the garbage collector, unwiped), so this
 * walks the cipher's own objects and fills every primitive array in an instance field. Static fields
 * (the S-boxes every instance shares) are never touched. Only for ciphers that will not be used again.
 */
final class BouncyCastleWipe {

  private static final String BOUNCY_CASTLE = "org.bouncycastle.";

  private BouncyCastleWipe() {}

  /** @return {@code false} when the JVM would not let it read Bouncy Castle's fields (nothing wiped) */
  static boolean wipe(Object cipher) {
    try {
      wipe(cipher, Collections.newSetFromMap(new IdentityHashMap<>()));
      return true;
    } catch (InaccessibleObjectException | SecurityException e) {
      return false; // Bouncy Castle on the module path, closed to us: it keeps its state, as it always did
    }
  }

  private static void wipe(Object o, Set<Object> seen) {
    if (o == null || !seen.add(o)) {
      return;
    }
    for (Class<?> c = o.getClass(); c != null && c.getName().startsWith(BOUNCY_CASTLE); c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        f.setAccessible(true);
        Object value;
        try {
          value = f.get(o);
        } catch (IllegalAccessException e) {
          throw new SecurityException(e);
        }
        fill(value, seen);
      }
    }
  }

  private static void fill(Object value, Set<Object> seen) {
    switch (value) {
      case null -> { }
      case byte[] b -> Arrays.fill(b, (byte) 0);
      case int[] i -> Arrays.fill(i, 0);
      case long[] l -> Arrays.fill(l, 0L);
      case Object[] nested when value.getClass().getComponentType().isArray() -> {
        for (Object row : nested) {
          fill(row, seen);
        }
      }
      default -> {
        if (value.getClass().getName().startsWith(BOUNCY_CASTLE)) {
          wipe(value, seen);
        }
      }
    }
  }
}
