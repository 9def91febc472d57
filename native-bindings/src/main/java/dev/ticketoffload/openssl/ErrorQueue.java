package dev.ticketoffload.openssl;

import static dev.ticketoffload.openssl.bindings.libcrypto_h.ERR_clear_error;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.ERR_error_string_n;
import static dev.ticketoffload.openssl.bindings.libcrypto_h.ERR_get_error;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** OpenSSL's per-thread error queue. Used off the hot path only: reading it allocates. */
final class ErrorQueue {

  private static final int REASON_CAPACITY_IN_BYTES = 256;
  private static final int MAX_REASONS = 8;

  record Drained(long firstCode, String reasons) {}

  private ErrorQueue() {}

  /** Reads and removes every entry, so the next call on this thread starts clean. */
  static Drained drain() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(REASON_CAPACITY_IN_BYTES);
      long first = 0;
      StringBuilder reasons = new StringBuilder();
      for (int i = 0; i < MAX_REASONS; i++) {
        long code = ERR_get_error();
        if (code == 0) {
          break;
        }
        if (first == 0) {
          first = code;
        }
        ERR_error_string_n(code, buffer, REASON_CAPACITY_IN_BYTES);
        reasons.append(reasons.isEmpty() ? "" : "; ").append(buffer.getString(0));
      }
      ERR_clear_error(); // beyond MAX_REASONS, drop the rest
      return new Drained(first, reasons.isEmpty() ? "no reason on OpenSSL's error queue" : reasons.toString());
    }
  }

  /** Empties the queue without reading it (after an expected failure such as a bad tag). */
  static void clear() {
    ERR_clear_error();
  }
}
