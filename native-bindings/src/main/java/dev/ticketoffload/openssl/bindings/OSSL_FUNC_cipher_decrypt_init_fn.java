// Written by hand in the exact shape jextract 22 generates for jextract-command.txt (no jextract on the
// build machines). Change it only as regenerating with that command would; nothing here refers to
// dev.ticketoffload.openssl.

package dev.ticketoffload.openssl.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@snippet lang=c :
 * typedef int (OSSL_FUNC_cipher_decrypt_init_fn)(void *cctx, const unsigned char *key, size_t keylen, const unsigned char *iv, size_t ivlen, const OSSL_PARAM *params)
 * }
 */
@SuppressWarnings("restricted") // see jextract-command.txt
public final class OSSL_FUNC_cipher_decrypt_init_fn {

    private OSSL_FUNC_cipher_decrypt_init_fn() {
        // Should not be called directly
    }

    private static final FunctionDescriptor $DESC = FunctionDescriptor.of(
        libcrypto_h.C_INT,
        libcrypto_h.C_POINTER,
        libcrypto_h.C_POINTER,
        libcrypto_h.C_SIZE_T,
        libcrypto_h.C_POINTER,
        libcrypto_h.C_SIZE_T,
        libcrypto_h.C_POINTER
    );

    /**
     * The descriptor of this function type
     */
    public static FunctionDescriptor descriptor() {
        return $DESC;
    }

    private static final MethodHandle DOWN$MH = Linker.nativeLinker().downcallHandle($DESC);

    /**
     * Invoke the upcall stub {@code funcPtr}, with given parameters
     */
    public static int invoke(MemorySegment funcPtr, MemorySegment cctx, MemorySegment key, long keylen, MemorySegment iv, long ivlen, MemorySegment params) {
        try {
            return (int) DOWN$MH.invokeExact(funcPtr, cctx, key, keylen, iv, ivlen, params);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
