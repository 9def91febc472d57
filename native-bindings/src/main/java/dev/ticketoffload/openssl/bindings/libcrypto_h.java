// Written by hand in the exact shape jextract 22 generates for jextract-command.txt (no jextract on the
// build machines). Change it only as regenerating with that command would; nothing here refers to
// dev.ticketoffload.openssl.

package dev.ticketoffload.openssl.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

@SuppressWarnings("restricted") // see jextract-command.txt
public final class libcrypto_h {

    private libcrypto_h() {
        // Should not be called directly
    }

    // No --library (see jextract-command.txt): symbols of the libraries this class loader loaded.
    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    private static final int OPENSSL_VERSION = (int)0L;
    /**
     * {@snippet lang=c :
     * #define OPENSSL_VERSION 0
     * }
     */
    public static int OPENSSL_VERSION() {
        return OPENSSL_VERSION;
    }
    private static final int OPENSSL_CPU_INFO = (int)9L;
    /**
     * {@snippet lang=c :
     * #define OPENSSL_CPU_INFO 9
     * }
     */
    public static int OPENSSL_CPU_INFO() {
        return OPENSSL_CPU_INFO;
    }
    private static final int OSSL_OP_CIPHER = (int)2L;
    /**
     * {@snippet lang=c :
     * #define OSSL_OP_CIPHER 2
     * }
     */
    public static int OSSL_OP_CIPHER() {
        return OSSL_OP_CIPHER;
    }
    private static final int OSSL_FUNC_CIPHER_NEWCTX = (int)1L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_NEWCTX 1
     * }
     */
    public static int OSSL_FUNC_CIPHER_NEWCTX() {
        return OSSL_FUNC_CIPHER_NEWCTX;
    }
    private static final int OSSL_FUNC_CIPHER_ENCRYPT_INIT = (int)2L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_ENCRYPT_INIT 2
     * }
     */
    public static int OSSL_FUNC_CIPHER_ENCRYPT_INIT() {
        return OSSL_FUNC_CIPHER_ENCRYPT_INIT;
    }
    private static final int OSSL_FUNC_CIPHER_DECRYPT_INIT = (int)3L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_DECRYPT_INIT 3
     * }
     */
    public static int OSSL_FUNC_CIPHER_DECRYPT_INIT() {
        return OSSL_FUNC_CIPHER_DECRYPT_INIT;
    }
    private static final int OSSL_FUNC_CIPHER_UPDATE = (int)4L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_UPDATE 4
     * }
     */
    public static int OSSL_FUNC_CIPHER_UPDATE() {
        return OSSL_FUNC_CIPHER_UPDATE;
    }
    private static final int OSSL_FUNC_CIPHER_FINAL = (int)5L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_FINAL 5
     * }
     */
    public static int OSSL_FUNC_CIPHER_FINAL() {
        return OSSL_FUNC_CIPHER_FINAL;
    }
    private static final int OSSL_FUNC_CIPHER_FREECTX = (int)7L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_FREECTX 7
     * }
     */
    public static int OSSL_FUNC_CIPHER_FREECTX() {
        return OSSL_FUNC_CIPHER_FREECTX;
    }
    private static final int OSSL_FUNC_CIPHER_GET_CTX_PARAMS = (int)10L;
    /**
     * {@snippet lang=c :
     * #define OSSL_FUNC_CIPHER_GET_CTX_PARAMS 10
     * }
     */
    public static int OSSL_FUNC_CIPHER_GET_CTX_PARAMS() {
        return OSSL_FUNC_CIPHER_GET_CTX_PARAMS;
    }
    private static final int OSSL_PARAM_OCTET_STRING = (int)5L;
    /**
     * {@snippet lang=c :
     * #define OSSL_PARAM_OCTET_STRING 5
     * }
     */
    public static int OSSL_PARAM_OCTET_STRING() {
        return OSSL_PARAM_OCTET_STRING;
    }

    private static class OpenSSL_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_INT
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("OpenSSL_version");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *OpenSSL_version(int type)
     * }
     */
    public static FunctionDescriptor OpenSSL_version$descriptor() {
        return OpenSSL_version.DESC;
    }

    /**
     * {@snippet lang=c :
     * const char *OpenSSL_version(int type)
     * }
     */
    public static MemorySegment OpenSSL_version(int type) {
        var mh$ = OpenSSL_version.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(type);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class OPENSSL_version_major {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_INT
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("OPENSSL_version_major");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * unsigned int OPENSSL_version_major(void)
     * }
     */
    public static FunctionDescriptor OPENSSL_version_major$descriptor() {
        return OPENSSL_version_major.DESC;
    }

    /**
     * {@snippet lang=c :
     * unsigned int OPENSSL_version_major(void)
     * }
     */
    public static int OPENSSL_version_major() {
        var mh$ = OPENSSL_version_major.HANDLE;
        try {
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ERR_get_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_LONG
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("ERR_get_error");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * unsigned long ERR_get_error(void)
     * }
     */
    public static FunctionDescriptor ERR_get_error$descriptor() {
        return ERR_get_error.DESC;
    }

    /**
     * {@snippet lang=c :
     * unsigned long ERR_get_error(void)
     * }
     */
    public static long ERR_get_error() {
        var mh$ = ERR_get_error.HANDLE;
        try {
            return (long)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ERR_error_string_n {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            libcrypto_h.C_LONG,
            libcrypto_h.C_POINTER,
            libcrypto_h.C_SIZE_T
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("ERR_error_string_n");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void ERR_error_string_n(unsigned long e, char *buf, size_t len)
     * }
     */
    public static FunctionDescriptor ERR_error_string_n$descriptor() {
        return ERR_error_string_n.DESC;
    }

    /**
     * {@snippet lang=c :
     * void ERR_error_string_n(unsigned long e, char *buf, size_t len)
     * }
     */
    public static void ERR_error_string_n(long e, MemorySegment buf, long len) {
        var mh$ = ERR_error_string_n.HANDLE;
        try {
            mh$.invokeExact(e, buf, len);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ERR_clear_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid();

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("ERR_clear_error");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void ERR_clear_error(void)
     * }
     */
    public static FunctionDescriptor ERR_clear_error$descriptor() {
        return ERR_clear_error.DESC;
    }

    /**
     * {@snippet lang=c :
     * void ERR_clear_error(void)
     * }
     */
    public static void ERR_clear_error() {
        var mh$ = ERR_clear_error.HANDLE;
        try {
            mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class EVP_CIPHER_fetch {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("EVP_CIPHER_fetch");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * EVP_CIPHER *EVP_CIPHER_fetch(OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties)
     * }
     */
    public static FunctionDescriptor EVP_CIPHER_fetch$descriptor() {
        return EVP_CIPHER_fetch.DESC;
    }

    /**
     * {@snippet lang=c :
     * EVP_CIPHER *EVP_CIPHER_fetch(OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties)
     * }
     */
    public static MemorySegment EVP_CIPHER_fetch(MemorySegment ctx, MemorySegment algorithm, MemorySegment properties) {
        var mh$ = EVP_CIPHER_fetch.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(ctx, algorithm, properties);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class EVP_CIPHER_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("EVP_CIPHER_free");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void EVP_CIPHER_free(EVP_CIPHER *cipher)
     * }
     */
    public static FunctionDescriptor EVP_CIPHER_free$descriptor() {
        return EVP_CIPHER_free.DESC;
    }

    /**
     * {@snippet lang=c :
     * void EVP_CIPHER_free(EVP_CIPHER *cipher)
     * }
     */
    public static void EVP_CIPHER_free(MemorySegment cipher) {
        var mh$ = EVP_CIPHER_free.HANDLE;
        try {
            mh$.invokeExact(cipher);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class EVP_CIPHER_get0_provider {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("EVP_CIPHER_get0_provider");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const OSSL_PROVIDER *EVP_CIPHER_get0_provider(const EVP_CIPHER *cipher)
     * }
     */
    public static FunctionDescriptor EVP_CIPHER_get0_provider$descriptor() {
        return EVP_CIPHER_get0_provider.DESC;
    }

    /**
     * {@snippet lang=c :
     * const OSSL_PROVIDER *EVP_CIPHER_get0_provider(const EVP_CIPHER *cipher)
     * }
     */
    public static MemorySegment EVP_CIPHER_get0_provider(MemorySegment cipher) {
        var mh$ = EVP_CIPHER_get0_provider.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(cipher);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class OSSL_PROVIDER_get0_provider_ctx {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("OSSL_PROVIDER_get0_provider_ctx");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void *OSSL_PROVIDER_get0_provider_ctx(const OSSL_PROVIDER *prov)
     * }
     */
    public static FunctionDescriptor OSSL_PROVIDER_get0_provider_ctx$descriptor() {
        return OSSL_PROVIDER_get0_provider_ctx.DESC;
    }

    /**
     * {@snippet lang=c :
     * void *OSSL_PROVIDER_get0_provider_ctx(const OSSL_PROVIDER *prov)
     * }
     */
    public static MemorySegment OSSL_PROVIDER_get0_provider_ctx(MemorySegment prov) {
        var mh$ = OSSL_PROVIDER_get0_provider_ctx.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(prov);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class OSSL_PROVIDER_query_operation {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_POINTER,
            libcrypto_h.C_INT,
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("OSSL_PROVIDER_query_operation");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const OSSL_ALGORITHM *OSSL_PROVIDER_query_operation(const OSSL_PROVIDER *prov, int operation_id, int *no_cache)
     * }
     */
    public static FunctionDescriptor OSSL_PROVIDER_query_operation$descriptor() {
        return OSSL_PROVIDER_query_operation.DESC;
    }

    /**
     * {@snippet lang=c :
     * const OSSL_ALGORITHM *OSSL_PROVIDER_query_operation(const OSSL_PROVIDER *prov, int operation_id, int *no_cache)
     * }
     */
    public static MemorySegment OSSL_PROVIDER_query_operation(MemorySegment prov, int operation_id, MemorySegment no_cache) {
        var mh$ = OSSL_PROVIDER_query_operation.HANDLE;
        try {
            return (MemorySegment)mh$.invokeExact(prov, operation_id, no_cache);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class OSSL_PROVIDER_unquery_operation {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            libcrypto_h.C_POINTER,
            libcrypto_h.C_INT,
            libcrypto_h.C_POINTER
        );

        public static final MemorySegment ADDR = libcrypto_h.findOrThrow("OSSL_PROVIDER_unquery_operation");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void OSSL_PROVIDER_unquery_operation(const OSSL_PROVIDER *prov, int operation_id, const OSSL_ALGORITHM *algs)
     * }
     */
    public static FunctionDescriptor OSSL_PROVIDER_unquery_operation$descriptor() {
        return OSSL_PROVIDER_unquery_operation.DESC;
    }

    /**
     * {@snippet lang=c :
     * void OSSL_PROVIDER_unquery_operation(const OSSL_PROVIDER *prov, int operation_id, const OSSL_ALGORITHM *algs)
     * }
     */
    public static void OSSL_PROVIDER_unquery_operation(MemorySegment prov, int operation_id, MemorySegment algs) {
        var mh$ = OSSL_PROVIDER_unquery_operation.HANDLE;
        try {
            mh$.invokeExact(prov, operation_id, algs);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
