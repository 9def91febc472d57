package dev.ticketoffload.openssl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which file a native address of this process lies in, from {@code /proc/self/maps}: how a library
 * that the dynamic loader found by name ({@code libcrypto.so.3}) gets the absolute path that
 * {@link System#load} needs.
 */
final class MappedFiles {

  private static final Path MAPS = Path.of("/proc/self/maps");

  private MappedFiles() {}

  /** The file mapped at {@code address}, or empty when none is (or the maps cannot be read). */
  static Optional<Path> containing(long address) {
    try {
      return containing(address, Files.readAllLines(MAPS));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Lines look like {@code 7f12a0000000-7f12a0200000 r-xp 00000000 fd:01 1234   /usr/lib/libcrypto.so.3}. */
  static Optional<Path> containing(long address, List<String> mapsLines) {
    for (String line : mapsLines) {
      String[] fields = line.trim().split("\\s+", 6);
      if (fields.length < 6 || !fields[5].startsWith("/")) {
        continue;
      }
      int dash = fields[0].indexOf('-');
      long start = Long.parseUnsignedLong(fields[0], 0, dash, 16);
      long end = Long.parseUnsignedLong(fields[0], dash + 1, fields[0].length(), 16);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return Optional.of(Path.of(fields[5]));
      }
    }
    return Optional.empty();
  }
}
