package dev.ticketoffload.openssl;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link GcmContext} leaves behind: its native scratch memory after a call, and the caller's
 * output after libcrypto fails in the middle of a decryption. The scratch is this test's own memory,
 * so it can be read after each call.
 */
class GcmContextSecretsTest {

  private final Random random = new Random(20261202);
  private final byte[] secret = bytes(32);
  private final byte[] iv = bytes(12);
  private final byte[] aad = bytes(24);
  private Arena arena;
  private MemorySegment scratch;
  private MemorySegment key;
  private AesGcmProvider gcm;

  @BeforeEach
  void allocate() throws Exception {
    gcm = LibCrypto.load().gcm();
    arena = Arena.ofConfined();
    scratch = arena.allocate(GcmContext.SCRATCH_SIZE_IN_BYTES, GcmContext.SCRATCH_ALIGNMENT_IN_BYTES);
    key = arena.allocateFrom(JAVA_BYTE, secret);
  }

  @AfterEach
  void free() {
    arena.close();
  }

  @Test
  void open_afterTheCall_scratchHoldsNoByteOfThePlaintext() {
    GcmContext context = GcmContext.create(gcm, key, scratch);
    byte[] state = bytes(300); // say an SK_d inside a state
    byte[] ticket = new byte[state.length + 16];
    context.seal(iv, 0, aad, 0, aad.length, state, 0, state.length, ticket, 0);
    byte[] opened = new byte[state.length];

    assertThat(context.open(iv, 0, aad, 0, aad.length, ticket, 0, ticket.length, opened, 0)).isTrue();

    assertThat(opened).isEqualTo(state);
    assertThat(indexOf(scratch.toArray(JAVA_BYTE), Arrays.copyOfRange(state, 0, 16))).as("plaintext in scratch")
        .isEqualTo(-1);
    assertThat(indexOf(scratch.toArray(JAVA_BYTE), Arrays.copyOfRange(state, state.length - 16, state.length)))
        .as("plaintext in scratch").isEqualTo(-1);
    assertThat(context.freeIfIdle()).isTrue();
  }

  /**
   * libcrypto never fails between two chunks of a real decryption, so the test makes it: the table's
   * update function is the provider's final. The ticket carries the tag of an empty message, so the
   * first chunk "succeeds" (final verifies that tag, and the chunk goes to the output as it was); the
   * second then fails, because the operation is finished. Whatever reached the output must be gone.
   */
  @Test
  void open_libcryptoFailsAfterTheFirstChunk_outputAndScratchHoldNothing() throws Exception {
    AesGcmProvider failsMidDecrypt = new AesGcmProvider(gcm.providerContext(), gcm.newContext(), gcm.freeContext(),
        gcm.encryptInit(), gcm.decryptInit(), gcm.finish(), gcm.finish(), gcm.getContextParams());
    GcmContext context = GcmContext.create(failsMidDecrypt, key, scratch);
    int length = GcmContext.IO_CAPACITY_IN_BYTES + 500; // two chunks
    byte[] ticket = new byte[length + 16];
    random.nextBytes(ticket);
    System.arraycopy(emptyMessageTag(), 0, ticket, length, 16);
    byte[] out = new byte[length];

    assertThatThrownBy(() -> context.open(iv, 0, new byte[0], 0, 0, ticket, 0, ticket.length, out, 0))
        .isInstanceOf(OpenSslException.class)
        .satisfies(e -> assertThat(((OpenSslException) e).operation()).isEqualTo(OpenSslOperation.DECRYPT));

    assertThat(out).as("output after a failed open").containsOnly((byte) 0);
    assertThat(indexOf(scratch.toArray(JAVA_BYTE), Arrays.copyOfRange(ticket, 0, 16))).as("input in scratch")
        .isEqualTo(-1);
    assertThat(context.freeIfIdle()).isTrue();
  }

  private byte[] emptyMessageTag() throws Exception {
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(secret, "AES"), new GCMParameterSpec(128, iv));
    return jdk.doFinal();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
