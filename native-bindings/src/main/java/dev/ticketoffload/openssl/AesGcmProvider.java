package dev.ticketoffload.openssl;

import static dev.ticketoffload.openssl.bindings.libcrypto_h.EVP_CIPHER_fetch;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.EVP_CIPHER_free;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.EVP_CIPHER_get0_provider;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.OSSL_PROVIDER_get0_provider_ctx;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.OSSL_PROVIDER_query_operation;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.OSSL_PROVIDER_unquery_operation;

import dev.ticketoffload.openssl.bindings.libcrypto_h;
import dev.ticketoffload.openssl.bindings.ossl_algorithm_st;
import dev.ticketoffload.openssl.bindings.ossl_dispatch_st;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The AES-256-GCM implementation of the provider that {@code EVP_CIPHER_fetch} chooses (the
 * default provider, or whatever the OpenSSL configuration selects), as its function table.
 *
 * <p>Why not the EVP functions: in OpenSSL 3.0, {@code EVP_CipherInit_ex2} with only an IV asks the
 * provider for the IV length through a parameter lookup (string compares), and so does reading the
 * tag through {@code EVP_CIPHER_CTX_ctrl}; together about a third of a 150-byte seal (PERFORMANCE-NOTES.md).
 * Calling the provider's functions (documented in provider-cipher(7)) with the same arguments EVP
 * would pass skips that layer. The provider still checks its own state (key set, IV set, IV not
 * reused after the final call).
 *
 * <p>Lives as long as the process: the fetched cipher is never freed, which keeps the provider and
 * so the function pointers valid.
 */
record AesGcmProvider(
    MemorySegment providerContext,
    MemorySegment newContext,
    MemorySegment freeContext,
    MemorySegment encryptInit,
    MemorySegment decryptInit,
    MemorySegment update,
    MemorySegment finish,
    MemorySegment getContextParams) {

  static final String ALGORITHM = "AES-256-GCM";

  /** Fetches AES-256-GCM and reads its function table, or says what is missing. */
  static AesGcmProvider find() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cipher = EVP_CIPHER_fetch(MemorySegment.NULL, arena.allocateFrom(ALGORITHM), MemorySegment.NULL);
      if (cipher.equals(MemorySegment.NULL)) {
        throw OpenSslException.fromErrorQueue(OpenSslOperation.FETCH_CIPHER);
      }
      MemorySegment provider = EVP_CIPHER_get0_provider(cipher);
      MemorySegment noCache = arena.allocate(libcrypto_h.C_INT);
      MemorySegment algorithms = OSSL_PROVIDER_query_operation(provider, libcrypto_h.OSSL_OP_CIPHER(), noCache);
      try {
        MemorySegment dispatch = findImplementation(algorithms);
        if (dispatch == null) {
          throw new IllegalStateException("the provider of " + ALGORITHM + " does not list it among its ciphers");
        }
        return fromDispatchTable(OSSL_PROVIDER_get0_provider_ctx(provider), dispatch);
      } catch (RuntimeException e) {
        EVP_CIPHER_free(cipher); // kept only on success, where it pins the provider for the process
        throw e;
      } finally {
        OSSL_PROVIDER_unquery_operation(provider, libcrypto_h.OSSL_OP_CIPHER(), algorithms);
      }
    }
  }

  @SuppressWarnings("restricted") // reading the NUL-terminated names libcrypto returned
  private static MemorySegment findImplementation(MemorySegment algorithmsPointer) {
    if (algorithmsPointer.equals(MemorySegment.NULL)) {
      return null;
    }
    for (long i = 0; ; i++) {
      MemorySegment algorithm = ossl_algorithm_st.reinterpret(algorithmsPointer, i + 1).asSlice(i * ossl_algorithm_st.sizeof());
      MemorySegment names = ossl_algorithm_st.algorithm_names(algorithm);
      if (names.equals(MemorySegment.NULL)) {
        return null;
      }
      // Names look like "AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46".
      if (Arrays.asList(names.reinterpret(Long.MAX_VALUE).getString(0).split(":")).contains(ALGORITHM)) {
        return ossl_algorithm_st.implementation(algorithm);
      }
    }
  }

  private static AesGcmProvider fromDispatchTable(MemorySegment providerContext, MemorySegment table) {
    MemorySegment[] functions = new MemorySegment[libcrypto_h.OSSL_FUNC_CIPHER_GET_CTX_PARAMS() + 1];
    for (long i = 0; ; i++) {
      MemorySegment entry = ossl_dispatch_st.reinterpret(table, i + 1).asSlice(i * ossl_dispatch_st.sizeof());
      int id = ossl_dispatch_st.function_id(entry);
      if (id == 0) {
        break;
      }
      if (id < functions.length) {
        functions[id] = ossl_dispatch_st.function(entry);
      }
    }
    return new AesGcmProvider(providerContext,
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_NEWCTX(), "newctx"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_FREECTX(), "freectx"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_ENCRYPT_INIT(), "encrypt_init"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_DECRYPT_INIT(), "decrypt_init"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_UPDATE(), "update"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_FINAL(), "final"),
        required(functions, libcrypto_h.OSSL_FUNC_CIPHER_GET_CTX_PARAMS(), "get_ctx_params"));
  }

  private static MemorySegment required(MemorySegment[] functions, int id, String name) {
    MemorySegment function = functions[id];
    if (function == null || function.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("the provider's " + ALGORITHM + " has no " + name + " function");
    }
    return function;
  }
}
