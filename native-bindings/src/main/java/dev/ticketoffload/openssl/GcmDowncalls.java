package dev.ticketoffload.openssl;

import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_decrypt_init_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_encrypt_init_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_final_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_get_ctx_params_fn;
import dev.ticketoffload.openssl.bindings.OSSL_FUNC_cipher_update_fn;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Critical downcall handles for the per-ticket provider calls (the function address is the first
 * argument). jextract cannot emit critical handles, so they are built here from its descriptors.
 *
 * <p>Critical is sound for these calls: they are short (under a microsecond for a 2 KB ticket), never
 * call back into Java and never block, so skipping the thread-state transition costs the GC nothing
 * noticeable while saving ~10 ns on each of the five calls per ticket. Heap access stays off: all
 * pointers are to native memory owned by a {@link GcmContext}.
 */
@SuppressWarnings("restricted") // linking native functions is this class's purpose
final class GcmDowncalls {

  private static final Linker.Option CRITICAL = Linker.Option.critical(false);
  private static final Linker LINKER = Linker.nativeLinker();

  static final MethodHandle ENCRYPT_INIT = LINKER.downcallHandle(OSSL_FUNC_cipher_encrypt_init_fn.descriptor(), CRITICAL);
  static final MethodHandle DECRYPT_INIT = LINKER.downcallHandle(OSSL_FUNC_cipher_decrypt_init_fn.descriptor(), CRITICAL);
  static final MethodHandle UPDATE = LINKER.downcallHandle(OSSL_FUNC_cipher_update_fn.descriptor(), CRITICAL);
  static final MethodHandle FINISH = LINKER.downcallHandle(OSSL_FUNC_cipher_final_fn.descriptor(), CRITICAL);
  static final MethodHandle GET_CONTEXT_PARAMS = LINKER.downcallHandle(OSSL_FUNC_cipher_get_ctx_params_fn.descriptor(), CRITICAL);

  private GcmDowncalls() {}
}
