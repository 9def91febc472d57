package dev.ticketoffload.openssl;

import dev.ticketoffload.openssl.bindings.libcrypto_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The libcrypto this process uses, once it has been found, checked to be OpenSSL 3.x and has passed
 * its known-answer test: its version and what OpenSSL detected about the CPU.
 *
 * <p>{@link #load()} does this once per process for the configured location (see
 * {@link LibCryptoLocation}) and remembers the outcome, success or failure.
 */
public final class LibCrypto {

  /** Every symbol the bindings use: all must be present before the bindings are touched. */
  static final List<String> REQUIRED_SYMBOLS = List.of(
      "OpenSSL_version", "OPENSSL_version_major", "ERR_get_error", "ERR_error_string_n", "ERR_clear_error",
      "EVP_CIPHER_fetch", "EVP_CIPHER_free", "EVP_CIPHER_get0_provider", "OSSL_PROVIDER_get0_provider_ctx",
      "OSSL_PROVIDER_query_operation", "OSSL_PROVIDER_unquery_operation");
  // Present in every libcrypto since 1.1.0, so it tells "other version" apart from "not libcrypto".
  private static final String VERSION_NUMBER_SYMBOL = "OpenSSL_version_num";
  private static final int SUPPORTED_MAJOR_VERSION = 3;

  private final String location;
  private final String version;
  private final CpuFeatures cpuFeatures;
  private final AesGcmProvider gcm;

  private LibCrypto(String location, String version, CpuFeatures cpuFeatures, AesGcmProvider gcm) {
    this.location = location;
    this.version = version;
    this.cpuFeatures = cpuFeatures;
    this.gcm = gcm;
  }

  /** The configured libcrypto, checked and self-tested once per process. */
  public static LibCrypto load() throws LibCryptoUnavailableException {
    return Loaded.get();
  }

  /** Where it was loaded from, as configured (a file name or a path). */
  public String location() {
    return location;
  }

  /** {@code OpenSSL_version(OPENSSL_VERSION)}, e.g. {@code OpenSSL 3.0.19 27 Jan 2026}. */
  public String version() {
    return version;
  }

  /** AES-NI and PCLMULQDQ as OpenSSL sees them (after any {@code OPENSSL_ia32cap} mask). */
  public CpuFeatures cpuFeatures() {
    return cpuFeatures;
  }

  AesGcmProvider gcm() {
    return gcm;
  }

  @Override
  public String toString() {
    return "LibCrypto[" + location + ", " + version + ", " + cpuFeatures + "]";
  }

  /**
   * Checks that {@code location} names libcrypto 3.x exporting every symbol the bindings need,
   * without touching the bindings. Package-private so tests can try bad locations in-process.
   *
   * @return the library, opened
   */
  @SuppressWarnings("restricted") // loading a native library is the point
  static SymbolLookup probe(String location) throws LibCryptoUnavailableException {
    SymbolLookup lookup;
    try {
      lookup = SymbolLookup.libraryLookup(location, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.NOT_FOUND, location,
          "the dynamic loader cannot open it (" + e.getMessage() + ")", e);
    }
    Optional<MemorySegment> versionNumber = lookup.find(VERSION_NUMBER_SYMBOL);
    if (versionNumber.isEmpty()) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.NOT_LIBCRYPTO, location,
          "it has no symbol " + VERSION_NUMBER_SYMBOL);
    }
    long major = versionNumber(versionNumber.get()) >>> 28; // 0xMNN00PP0L
    if (major != SUPPORTED_MAJOR_VERSION) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.WRONG_VERSION, location,
          "it is OpenSSL " + major + ".x, this service needs " + SUPPORTED_MAJOR_VERSION + ".x");
    }
    for (String symbol : REQUIRED_SYMBOLS) {
      if (lookup.find(symbol).isEmpty()) {
        throw new LibCryptoUnavailableException(LibCryptoProblem.NOT_LIBCRYPTO, location,
            "it has no symbol " + symbol);
      }
    }
    return lookup;
  }

  /**
   * Loads the checked library into this class loader ({@link System#load}), where the bindings find
   * it: their lookup is {@code SymbolLookup.loaderLookup()}, as jextract generates it without
   * {@code --library}, so the bindings need neither an edit nor this layer to know the location.
   * {@code System.load} wants an absolute path; a bare name is resolved to the file the dynamic
   * loader opened for the probe.
   */
  @SuppressWarnings("restricted") // loading a native library is the point
  private static void loadForBindings(String location, SymbolLookup probed) throws LibCryptoUnavailableException {
    Path file;
    if (location.contains("/")) {
      file = Path.of(location).toAbsolutePath();
    } else {
      long address = probed.find(VERSION_NUMBER_SYMBOL).orElseThrow().address();
      file = MappedFiles.containing(address).orElseThrow(() -> new LibCryptoUnavailableException(
          LibCryptoProblem.NOT_FOUND, location, "the dynamic loader opened it, but /proc/self/maps does not say from where"));
    }
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.NOT_FOUND, location,
          "System.load(" + file + ") failed: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("restricted")
  private static long versionNumber(MemorySegment function) {
    try {
      return (long) Linker.nativeLinker()
          .downcallHandle(function, FunctionDescriptor.of(ValueLayout.JAVA_LONG))
          .invokeExact();
    } catch (Throwable t) {
      throw new AssertionError("should not reach here", t);
    }
  }

  private static LibCrypto initialize(String location) throws LibCryptoUnavailableException {
    loadForBindings(location, probe(location));
    // From here on the bindings resolve their symbols in the same, now checked, library.
    int major = libcrypto_h.OPENSSL_version_major();
    String version = libcrypto_h.OpenSSL_version(libcrypto_h.OPENSSL_VERSION()).getString(0);
    if (major != SUPPORTED_MAJOR_VERSION) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.WRONG_VERSION, location,
          "OPENSSL_version_major() is " + major + " (" + version + ")");
    }
    CpuFeatures cpu = CpuFeatures.fromOpenSslCpuInfo(
        libcrypto_h.OpenSSL_version(libcrypto_h.OPENSSL_CPU_INFO()).getString(0));
    AesGcmProvider gcm;
    try {
      gcm = AesGcmProvider.find();
    } catch (RuntimeException e) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.SELF_TEST_FAILED, location,
          "no usable AES-256-GCM: " + e.getMessage(), e);
    }
    LibCrypto libCrypto = new LibCrypto(location, version, cpu, gcm);
    Optional<String> failure = KnownAnswerTest.run(new OpenSslAeadBackend(libCrypto));
    if (failure.isPresent()) {
      throw new LibCryptoUnavailableException(LibCryptoProblem.SELF_TEST_FAILED, location, failure.get());
    }
    return libCrypto;
  }

  /** The outcome of the one load of this process (lazy holder: initialised on first use). */
  private static final class Loaded {
    private static final String LOCATION = LibCryptoLocation.configured();
    private static final LibCrypto LIBRARY;
    private static final LibCryptoUnavailableException FAILURE;

    static {
      LibCrypto library = null;
      LibCryptoUnavailableException failure = null;
      try {
        library = initialize(LOCATION);
      } catch (LibCryptoUnavailableException e) {
        failure = e;
      } catch (RuntimeException | LinkageError e) {
        // Not expected once the probe passed; still a reason to fall back, never to fail start-up.
        failure = new LibCryptoUnavailableException(LibCryptoProblem.SELF_TEST_FAILED, LOCATION,
            "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
      LIBRARY = library;
      FAILURE = failure;
    }

    static LibCrypto get() throws LibCryptoUnavailableException {
      if (FAILURE != null) {
        // A fresh exception per caller (with the original as cause) so stack traces stay truthful.
        throw new LibCryptoUnavailableException(FAILURE.problem(), FAILURE.location(), FAILURE.reason(), FAILURE);
      }
      return LIBRARY;
    }
  }
}
