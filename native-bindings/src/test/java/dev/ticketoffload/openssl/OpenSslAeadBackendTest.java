package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.JdkAeadBackend;
import dev.ticketoffload.openssl.bindings.libcrypto_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: chunking beyond the scratch buffer, the error queue, the context registry. */
class OpenSslAeadBackendTest {

  private static final HexFormat HEX = HexFormat.of();
  private final Random random = new Random(20261126);
  private OpenSslAeadBackend backend;
  private AeadKey key;
  private AeadKey jdkKey;

  @BeforeEach
  void bind() throws Exception {
    backend = OpenSslAeadBackend.load();
    byte[] secret = bytes(32);
    key = backend.bind(secret);
    jdkKey = new JdkAeadBackend().bind(secret);
  }

  @AfterEach
  void close() {
    key.close();
    jdkKey.close();
  }

  @Test
  void load_defaultLocation_isOpenSsl3() throws Exception {
    LibCrypto lib = LibCrypto.load();
    assertThat(lib.location()).isEqualTo(LibCryptoLocation.DEFAULT_NAME);
    assertThat(lib.version()).startsWith("OpenSSL 3.");
    assertThat(backend.name()).isEqualTo("openssl");
  }

  @Test
  void seal_gcmSpecVectors_match() {
    // The start-up self-test's vectors (GCM test cases 13, 14 and 16), checked here on their own.
    for (KnownAnswerTest.Vector v : KnownAnswerTest.VECTORS) {
      try (AeadKey k = backend.bind(HEX.parseHex(v.key()))) {
        byte[] iv = HEX.parseHex(v.iv());
        byte[] aad = HEX.parseHex(v.aad());
        byte[] pt = HEX.parseHex(v.plaintext());
        byte[] out = new byte[pt.length + 16];
        assertThat(k.seal(iv, 0, aad, 0, aad.length, pt, 0, pt.length, out, 0)).as(v.name()).isEqualTo(pt.length + 16);
        assertThat(HEX.formatHex(out)).as(v.name()).isEqualTo(v.ciphertextAndTag());
      }
    }
    assertThat(KnownAnswerTest.VECTORS).extracting(KnownAnswerTest.Vector::name)
        .containsExactly("GCM test case 13", "GCM test case 14", "GCM test case 16");
  }

  @Test
  void knownAnswerTest_passesOpenSsl_andNamesWhatABrokenBackendGotWrong() {
    assertThat(KnownAnswerTest.run(backend)).isEmpty();
    assertThat(KnownAnswerTest.run(BrokenBackend.of(false))).hasValueSatisfying(
        failure -> assertThat(failure).startsWith("GCM test case 13: seal gave "));
    assertThat(KnownAnswerTest.run(BrokenBackend.of(true))).hasValue("GCM test case 13: open accepted a forged tag");
  }

  @Test
  void sealAndOpen_beyondTheScratchBuffer_matchJdk() {
    List<String> failures = new ArrayList<>();
    for (int size : new int[] {0, 1, 15, 16, 17, 152, 1500, 2047, 2048, 2049, 5000}) {
      for (int aadSize : new int[] {0, 24, 2049, 3000}) {
        int offset = random.nextInt(5);
        byte[] iv = bytes(12 + offset);
        byte[] aad = bytes(aadSize + offset);
        byte[] pt = bytes(size + offset);
        byte[] ours = new byte[size + 16 + offset];
        byte[] theirs = new byte[size + 16];
        key.seal(iv, offset, aad, offset, aadSize, pt, offset, size, ours, offset);
        jdkKey.seal(iv, offset, aad, offset, aadSize, pt, offset, size, theirs, 0);
        if (!Arrays.equals(ours, offset, ours.length, theirs, 0, theirs.length)) {
          failures.add("seal size " + size + " aad " + aadSize);
        }
        byte[] opened = new byte[size + offset];
        if (!key.open(iv, offset, aad, offset, aadSize, theirs, 0, theirs.length, opened, offset)
            || !Arrays.equals(opened, offset, opened.length, pt, offset, pt.length)) {
          failures.add("open size " + size + " aad " + aadSize);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void open_badTag_leavesErrorQueueEmpty() {
    // OpenSSL 3.0's provider queues nothing for a bad tag, so this guards other 3.x versions; the
    // wiping test below is the one that fails if the bad-tag branch of GcmContext.open changes.
    byte[] sealed = new byte[16];
    assertThat(key.open(new byte[12], 0, new byte[0], 0, 0, sealed, 0, 16, new byte[0], 0)).isFalse();
    assertThat(libcrypto_h.ERR_get_error()).isZero();
  }

  @Test
  void open_badTag_wipesTheUnverifiedPlaintext() {
    List<String> failures = new ArrayList<>();
    for (int size : new int[] {1, 152, 2048, 5000}) { // within and beyond one scratch chunk
      byte[] iv = bytes(12);
      byte[] pt = bytes(size);
      byte[] sealed = new byte[size + 16];
      key.seal(iv, 0, new byte[0], 0, 0, pt, 0, size, sealed, 0);
      sealed[size] ^= 1;
      byte[] out = new byte[size + 2];
      Arrays.fill(out, (byte) 0x55);
      if (key.open(iv, 0, new byte[0], 0, 0, sealed, 0, sealed.length, out, 1)) {
        failures.add(size + ": forged tag accepted");
      }
      byte[] expected = new byte[size + 2];
      expected[0] = expected[size + 1] = 0x55; // bytes outside [offset, offset + length) are not touched
      if (!Arrays.equals(out, expected)) {
        failures.add(size + ": output not wiped to exactly its range");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void openSslException_carriesOperationFirstCodeAndReasons_andEmptiesTheQueue() {
    try (Arena arena = Arena.ofConfined()) {
      assertThat(libcrypto_h.EVP_CIPHER_fetch(MemorySegment.NULL, arena.allocateFrom("NO-SUCH-CIPHER"),
          MemorySegment.NULL)).isEqualTo(MemorySegment.NULL);
    }
    OpenSslException e = OpenSslException.fromErrorQueue(OpenSslOperation.FETCH_CIPHER);
    assertThat(e.operation()).isEqualTo(OpenSslOperation.FETCH_CIPHER);
    assertThat(e.errorCode()).isNotZero();
    assertThat(e.getMessage()).startsWith("OpenSSL failed fetching AES-256-GCM: error:")
        .contains("unsupported");
    assertThat(libcrypto_h.ERR_get_error()).isZero();

    OpenSslException nothingQueued = OpenSslException.fromErrorQueue(OpenSslOperation.SET_IV);
    assertThat(nothingQueued.errorCode()).isZero();
    assertThat(nothingQueued.getMessage())
        .isEqualTo("OpenSSL failed setting the IV: no reason on OpenSSL's error queue");
  }

  @Test
  void close_freesEveryThreadsContext_andLaterUseThrows() throws Exception {
    long before = OpenSslAeadBackend.liveContexts();
    AeadKey shared = backend.bind(bytes(32));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(() -> roundTrips(shared, 1000));
      }
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(OpenSslAeadBackend.liveContexts() - before).isEqualTo(4);
    shared.close();
    assertThat(OpenSslAeadBackend.liveContexts()).isEqualTo(before);
    assertThatThrownBy(() -> shared.seal(new byte[12], 0, new byte[0], 0, 0, new byte[0], 0, 0, new byte[16], 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void seal_outputTooSmall_throwsBeforeTouchingNative() {
    assertThatThrownBy(() -> key.seal(new byte[12], 0, new byte[0], 0, 0, new byte[10], 0, 10, new byte[25], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private boolean roundTrips(AeadKey k, int count) {
    Random r = new Random();
    byte[] iv = new byte[12];
    byte[] pt = new byte[152];
    byte[] sealed = new byte[168];
    byte[] opened = new byte[152];
    for (int i = 0; i < count; i++) {
      r.nextBytes(iv);
      r.nextBytes(pt);
      k.seal(iv, 0, pt, 0, 24, pt, 0, 152, sealed, 0);
      if (!k.open(iv, 0, pt, 0, 24, sealed, 0, 168, opened, 0) || !Arrays.equals(opened, pt)) {
        return false;
      }
    }
    return true;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

}
