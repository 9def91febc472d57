package dev.ticketoffload.openssl;

import static dev.ticketoffload.core.aead.AeadBackend.IV_SIZE_IN_BYTES;
import static dev.ticketoffload.core.aead.AeadBackend.KEY_SIZE_IN_BYTES;
import static dev.ticketoffload.core.aead.AeadBackend.TAG_SIZE_IN_BYTES;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_encrypt_init_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_freectx_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_newctx_fn;
import dev.ticketoffload.openssl.bindings.libcrypto_h;
import dev.ticketoffload.openssl.bindings.ossl_param_st;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * One thread's AES-256-GCM state for one key: a provider cipher context (the object an
 * {@code EVP_CIPHER_CTX} wraps), keyed once, plus native scratch memory that every call copies
 * through. A seal makes five critical downcalls (init with the IV, AAD, data, final, tag), an open
 * four (the expected tag goes in with the IV); AAD and data take one call per 2 KB chunk, none if empty.
 *
 * <p>Scratch layout, in bytes (one allocation, owned by the key's arena):
 * <pre>
 *    0     8  out_length   size_t the provider writes output lengths to
 *   16    80  tag_params   OSSL_PARAM[2]: { "tag", OCTET_STRING, &tag, 16, 0 }, then the end marker
 *   96    16  tag          read after a seal, written before an open
 *  112    12  iv
 *  128  2048  io           AAD, then plaintext or ciphertext, transformed in place, in chunks
 * </pre>
 * Nothing secret stays in the scratch memory between calls: an open wipes the bytes it decrypted
 * there before it returns, and any failure wipes them and the caller's output range, so neither the
 * last state opened (its SK_d) nor unauthenticated plaintext outlives the call.
 *
 * <p>Not thread-safe: {@link OpenSslAeadKey} gives each thread its own, and through {@link #enter()} /
 * {@link #leave()} knows whether its thread is inside a call, so that closing the key never frees a
 * context under a running call.
 */
final class GcmContext {

  private static final long OUT_LENGTH_OFFSET = 0;
  private static final long TAG_PARAMS_OFFSET = 16;
  private static final long TAG_OFFSET = 96;
  private static final long IV_OFFSET = 112;
  private static final long IO_OFFSET = 128;
  static final int IO_CAPACITY_IN_BYTES = 2048;
  static final long SCRATCH_SIZE_IN_BYTES = IO_OFFSET + IO_CAPACITY_IN_BYTES;
  static final long SCRATCH_ALIGNMENT_IN_BYTES = 64;

  private static final MemorySegment TAG_PARAM_NAME = Arena.global().allocateFrom("tag");

  // Lifecycle: IDLE <-> IN_CALL by the owning thread only; IDLE -> FREED by whoever frees it, once.
  private static final int IDLE = 0;
  private static final int IN_CALL = 1;
  private static final int FREED = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(GcmContext.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through STATE
  private volatile int state = IDLE;

  private final AesGcmProvider gcm;
  private final MemorySegment cipherContext;
  private final MemorySegment scratch;
  private final MemorySegment outLength;
  private final MemorySegment tagParams;
  private final MemorySegment tag;
  private final MemorySegment iv;
  private final MemorySegment io;

  private GcmContext(AesGcmProvider gcm, MemorySegment cipherContext, MemorySegment scratch) {
    this.gcm = gcm;
    this.cipherContext = cipherContext;
    this.scratch = scratch;
    this.outLength = scratch.asSlice(OUT_LENGTH_OFFSET, Long.BYTES);
    this.tagParams = scratch.asSlice(TAG_PARAMS_OFFSET, 2 * ossl_param_st.sizeof());
    this.tag = scratch.asSlice(TAG_OFFSET, TAG_SIZE_IN_BYTES);
    this.iv = scratch.asSlice(IV_OFFSET, IV_SIZE_IN_BYTES);
    this.io = scratch.asSlice(IO_OFFSET, IO_CAPACITY_IN_BYTES);
    tagParams.fill((byte) 0); // the second OSSL_PARAM, all zero, ends the array
    ossl_param_st.key(tagParams, TAG_PARAM_NAME);
    ossl_param_st.data_type(tagParams, libcrypto_h.OSSL_PARAM_OCTET_STRING());
    ossl_param_st.data(tagParams, tag);
    ossl_param_st.data_size(tagParams, TAG_SIZE_IN_BYTES);
  }

  /**
   * Creates and keys a context. {@code scratch} must be {@link #SCRATCH_SIZE_IN_BYTES} of native
   * memory that outlives the context; {@code key} is read once.
   */
  static GcmContext create(AesGcmProvider gcm, MemorySegment key, MemorySegment scratch) {
    MemorySegment cipherContext = OSSL_FUNC_cipher_newctx_fn.invoke(gcm.newContext(), gcm.providerContext());
    if (cipherContext.equals(MemorySegment.NULL)) {
      throw OpenSslException.fromErrorQueue(OpenSslOperation.NEW_CONTEXT);
    }
    int keyed = OSSL_FUNC_cipher_encrypt_init_fn.invoke(gcm.encryptInit(), cipherContext,
        key, KEY_SIZE_IN_BYTES, MemorySegment.NULL, 0, MemorySegment.NULL);
    if (keyed != 1) {
      OSSL_FUNC_cipher_freectx_fn.invoke(gcm.freeContext(), cipherContext);
      throw OpenSslException.fromErrorQueue(OpenSslOperation.SET_KEY);
    }
    return new GcmContext(gcm, cipherContext, scratch);
  }

  /** The calling (owning) thread starts a call; {@code false} when the context was freed. */
  boolean enter() {
    return STATE.compareAndSet(this, IDLE, IN_CALL);
  }

  /** The owning thread's call is over. */
  void leave() {
    state = IDLE; // a volatile store: a closer that reads IDLE after this sees the call's effects done
  }

  /**
   * Frees the context unless its thread is inside a call (then that thread frees it when it leaves).
   *
   * @return {@code true} when this call freed it
   */
  boolean freeIfIdle() {
    if (!STATE.compareAndSet(this, IDLE, FREED)) {
      return false;
    }
    free();
    return true;
  }

  int seal(byte[] ivArray, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] plaintext, int plaintextOffset, int plaintextLength, byte[] out, int outOffset) {
    Objects.checkFromIndexSize(ivOffset, IV_SIZE_IN_BYTES, ivArray.length);
    Objects.checkFromIndexSize(aadOffset, aadLength, aad.length);
    Objects.checkFromIndexSize(plaintextOffset, plaintextLength, plaintext.length);
    Objects.checkFromIndexSize(outOffset, plaintextLength + TAG_SIZE_IN_BYTES, out.length);

    MemorySegment.copy(ivArray, ivOffset, iv, JAVA_BYTE, 0, IV_SIZE_IN_BYTES);
    try {
      expectSuccess(initEncrypt(), OpenSslOperation.SET_IV);
      addAad(aad, aadOffset, aadLength);
      transform(plaintext, plaintextOffset, plaintextLength, out, outOffset, OpenSslOperation.ENCRYPT);
      expectSuccess(finish(), OpenSslOperation.FINISH);
      expectSuccess(readTag(), OpenSslOperation.GET_TAG);
    } catch (RuntimeException e) {
      wipeIo(Math.max(aadLength, plaintextLength)); // a chunk of plaintext may not have been encrypted yet
      throw e;
    }
    // On success the scratch holds ciphertext (the last chunk) and the tag: nothing secret.
    MemorySegment.copy(tag, JAVA_BYTE, 0, out, outOffset + plaintextLength, TAG_SIZE_IN_BYTES);
    return plaintextLength + TAG_SIZE_IN_BYTES;
  }

  boolean open(byte[] ivArray, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] ciphertext, int ciphertextOffset, int ciphertextLength, byte[] out, int outOffset) {
    Objects.checkFromIndexSize(ivOffset, IV_SIZE_IN_BYTES, ivArray.length);
    Objects.checkFromIndexSize(aadOffset, aadLength, aad.length);
    Objects.checkFromIndexSize(ciphertextOffset, ciphertextLength, ciphertext.length);
    if (ciphertextLength < TAG_SIZE_IN_BYTES) {
      return false;
    }
    int plaintextLength = ciphertextLength - TAG_SIZE_IN_BYTES;
    Objects.checkFromIndexSize(outOffset, plaintextLength, out.length);

    MemorySegment.copy(ivArray, ivOffset, iv, JAVA_BYTE, 0, IV_SIZE_IN_BYTES);
    MemorySegment.copy(ciphertext, ciphertextOffset + plaintextLength, tag, JAVA_BYTE, 0, TAG_SIZE_IN_BYTES);
    boolean verified = false;
    try {
      // The expected tag travels with the IV: one call instead of init plus set_ctx_params.
      expectSuccess(initDecrypt(), OpenSslOperation.SET_IV);
      addAad(aad, aadOffset, aadLength);
      transform(ciphertext, ciphertextOffset, plaintextLength, out, outOffset, OpenSslOperation.DECRYPT);
      verified = finish() == 1;
      if (!verified) {
        ErrorQueue.clear(); // a bad tag is an outcome, not an error: leave nothing for the next call
      }
      return verified;
    } finally {
      // Always: the scratch holds the last chunk decrypted (an SK_d) until the next call otherwise.
      wipeIo(Math.max(aadLength, plaintextLength));
      if (!verified) {
        // A bad tag, or an error after some chunks were already written out: no unauthenticated plaintext.
        Arrays.fill(out, outOffset, outOffset + plaintextLength, (byte) 0);
      }
    }
  }

  /** Zeroes the first {@code length} bytes of the I/O area (at most all of it). */
  private void wipeIo(int length) {
    io.asSlice(0, Math.min(length, IO_CAPACITY_IN_BYTES)).fill((byte) 0);
  }

  /** Frees the provider context (which wipes its key schedule) and wipes the scratch memory. */
  private void free() {
    OSSL_FUNC_cipher_freectx_fn.invoke(gcm.freeContext(), cipherContext);
    scratch.fill((byte) 0);
  }

  private void addAad(byte[] aad, int aadOffset, int aadLength) {
    for (int done = 0; done < aadLength; ) {
      int chunk = Math.min(IO_CAPACITY_IN_BYTES, aadLength - done);
      MemorySegment.copy(aad, aadOffset + done, io, JAVA_BYTE, 0, chunk);
      // A null output pointer tells GCM the input is AAD.
      expectSuccess(update(MemorySegment.NULL, chunk), OpenSslOperation.ADD_AAD);
      done += chunk;
    }
  }

  private void transform(byte[] in, int inOffset, int length, byte[] out, int outOffset, OpenSslOperation operation) {
    for (int done = 0; done < length; ) {
      int chunk = Math.min(IO_CAPACITY_IN_BYTES, length - done);
      MemorySegment.copy(in, inOffset + done, io, JAVA_BYTE, 0, chunk);
      expectSuccess(update(io, chunk), operation);
      MemorySegment.copy(io, JAVA_BYTE, 0, out, outOffset + done, chunk);
      done += chunk;
    }
  }

  private static void expectSuccess(int result, OpenSslOperation operation) {
    if (result != 1) {
      throw OpenSslException.fromErrorQueue(operation);
    }
  }

  // Key NULL: keep the key schedule, set only the IV.
  private int initEncrypt() {
    try {
      return (int) GcmDowncalls.ENCRYPT_INIT.invokeExact(gcm.encryptInit(), cipherContext,
          MemorySegment.NULL, 0L, iv, (long) IV_SIZE_IN_BYTES, MemorySegment.NULL);
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }

  private int initDecrypt() {
    try {
      return (int) GcmDowncalls.DECRYPT_INIT.invokeExact(gcm.decryptInit(), cipherContext,
          MemorySegment.NULL, 0L, iv, (long) IV_SIZE_IN_BYTES, tagParams);
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }

  private int update(MemorySegment out, int length) {
    try {
      return (int) GcmDowncalls.UPDATE.invokeExact(gcm.update(), cipherContext, out, outLength, (long) length, io, (long) length);
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }

  private int finish() {
    try {
      return (int) GcmDowncalls.FINISH.invokeExact(gcm.finish(), cipherContext, io, outLength, (long) IO_CAPACITY_IN_BYTES);
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }

  private int readTag() {
    try {
      return (int) GcmDowncalls.GET_CONTEXT_PARAMS.invokeExact(gcm.getContextParams(), cipherContext, tagParams);
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }
}
