package dev.ticketoffload.core.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After {@code close()} no Bouncy Castle cipher state of the key keeps anything of it: round keys,
 * hash key and tables, GCM's copy of the key. Read through reflection, as an attacker reading the heap
 * would find it.
 */
class BouncyCastleKeyWipeTest {

  @Test
  void close_wipesEveryThreadsKeySchedule_andRefusesLaterCalls() throws Exception {
    BouncyCastleAeadBackend.Key key = (BouncyCastleAeadBackend.Key) new BouncyCastleAeadBackend().bind(secret());
    Thread other = new Thread(() -> roundTrip(key, 1));
    other.start();
    other.join();
    roundTrip(key, 2);
    List<Object> ciphers = key.cipherStatesForTests();
    assertThat(ciphers).hasSize(4); // two threads, a sealer and an opener each
    assertThat(nonZeroArrays(ciphers)).as("key material while the key is open").isPositive();

    key.close();

    assertThat(nonZeroArrays(ciphers)).as("arrays holding anything after close").isZero();
    assertThatThrownBy(() -> roundTrip(key, 3)).isInstanceOf(KeyClosedException.class);
  }

  private static void roundTrip(AeadKey key, int seed) {
    byte[] iv = new byte[12];
    iv[0] = (byte) seed;
    byte[] plaintext = new byte[100];
    java.util.Arrays.fill(plaintext, (byte) seed);
    byte[] sealed = new byte[116];
    key.seal(iv, 0, new byte[0], 0, 0, plaintext, 0, 100, sealed, 0);
    assertThat(key.open(iv, 0, new byte[0], 0, 0, sealed, 0, 116, new byte[100], 0)).isTrue();
  }

  private static byte[] secret() {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[i] = (byte) (i * 7 + 3);
    }
    return s;
  }

  /** Primitive arrays in instance fields reachable from {@code roots} (Bouncy Castle objects only) with a non-zero element. */
  private static int nonZeroArrays(List<Object> roots) throws IllegalAccessException {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Object> todo = new ArrayList<>(roots);
    int nonZero = 0;
    while (!todo.isEmpty()) {
      Object o = todo.removeLast();
      if (o == null || !seen.add(o)) {
        continue;
      }
      if (o instanceof byte[] b) {
        for (byte x : b) { if (x != 0) { nonZero++; break; } }
      } else if (o instanceof int[] a) {
        for (int x : a) { if (x != 0) { nonZero++; break; } }
      } else if (o instanceof long[] a) {
        for (long x : a) { if (x != 0) { nonZero++; break; } }
      } else if (o instanceof Object[] rows) {
        todo.addAll(java.util.Arrays.asList(rows));
      } else if (o.getClass().getName().startsWith("org.bouncycastle.")) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
          for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
              f.setAccessible(true);
              todo.add(f.get(o));
            }
          }
        }
      }
    }
    return nonZero;
  }
}
