package dev.ticketoffload.openssl;

import static dev.ticketoffload.core.aead.AeadBackend.KEY_SIZE_IN_BYTES;
import static dev.ticketoffload.core.aead.AeadBackend.TAG_SIZE_IN_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ticketoffload.core.aead.AeadBatch;
import dev.ticketoffload.core.aead.AeadKey;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One AES-256-GCM key in libcrypto. Owns, through one shared {@link Arena}, a native copy of the key
 * (so that threads arriving later can key their context) and every thread's {@link GcmContext};
 * {@link #close()} frees the contexts, wipes the key and scratch memory and closes the arena.
 *
 * <p>Contexts are per thread: use keys from a bounded pool of platform threads (as the server's
 * executor is). Each virtual thread would get its own context, kept until the key closes.
 */
final class OpenSslAeadKey implements AeadKey {

  private static final AtomicLong LIVE_CONTEXTS = new AtomicLong();

  private final AesGcmProvider gcm;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment key;
  private final List<GcmContext> contexts = new ArrayList<>(); // guarded by this
  private final ThreadLocal<GcmContext> perThread = ThreadLocal.withInitial(this::newContext);
  private volatile boolean closed;

  OpenSslAeadKey(AesGcmProvider gcm, byte[] key) {
    if (key.length != KEY_SIZE_IN_BYTES) {
      throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key, got " + key.length + " bytes");
    }
    this.gcm = gcm;
    this.key = arena.allocate(KEY_SIZE_IN_BYTES);
    MemorySegment.copy(key, 0, this.key, JAVA_BYTE, 0, KEY_SIZE_IN_BYTES);
  }

  static long liveContexts() {
    return LIVE_CONTEXTS.get();
  }

  @SuppressWarnings("restricted") // reinterpret: a view of memory this key's arena owns
  private synchronized GcmContext newContext() {
    checkOpen();
    MemorySegment scratch = arena.allocate(GcmContext.SCRATCH_SIZE_IN_BYTES, GcmContext.SCRATCH_ALIGNMENT_IN_BYTES);
    // The hot path uses an unscoped view: a downcall on a segment of a shared arena acquires and
    // releases the arena around every call, an atomic update on a line all threads of this key share.
    // The arena still frees the memory, and close() runs only once no thread uses the key.
    MemorySegment unscoped = MemorySegment.ofAddress(scratch.address()).reinterpret(scratch.byteSize());
    GcmContext context = GcmContext.create(gcm, key, unscoped);
    contexts.add(context);
    LIVE_CONTEXTS.incrementAndGet();
    return context;
  }

  private GcmContext context() {
    checkOpen();
    return perThread.get();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("AES-256-GCM key is closed");
    }
  }

  @Override
  public int seal(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
    return context().seal(iv, ivOffset, aad, aadOffset, aadLength, plaintext, plaintextOffset, plaintextLength, out, outOffset);
  }

  @Override
  public boolean open(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
    return context().open(iv, ivOffset, aad, aadOffset, aadLength, ciphertext, ciphertextOffset, ciphertextLength, out, outOffset);
  }

  @Override
  public void sealBatch(AeadBatch batch) {
    GcmContext context = context(); // one thread-local lookup for the whole batch
    for (int i = 0; i < batch.size(); i++) {
      batch.setResult(i, context.seal(batch.iv(i), batch.ivOffset(i), batch.aad(i), batch.aadOffset(i),
          batch.aadLength(i), batch.input(i), batch.inputOffset(i), batch.inputLength(i),
          batch.output(i), batch.outputOffset(i)));
    }
  }

  @Override
  public void openBatch(AeadBatch batch) {
    GcmContext context = context();
    for (int i = 0; i < batch.size(); i++) {
      boolean verified = context.open(batch.iv(i), batch.ivOffset(i), batch.aad(i), batch.aadOffset(i),
          batch.aadLength(i), batch.input(i), batch.inputOffset(i), batch.inputLength(i),
          batch.output(i), batch.outputOffset(i));
      batch.setResult(i, verified ? batch.inputLength(i) - TAG_SIZE_IN_BYTES : -1);
    }
  }

  /** Frees every thread's context. Only when no thread uses this key any more (see {@link AeadKey}). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (GcmContext context : contexts) {
      context.free();
      LIVE_CONTEXTS.decrementAndGet();
    }
    contexts.clear();
    key.fill((byte) 0);
    arena.close();
  }

  @Override
  public String toString() {
    return "OpenSslAeadKey";
  }
}
