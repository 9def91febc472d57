package dev.ticketoffload.openssl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU features that make AES-GCM fast: AES-NI and carry-less multiplication (PCLMULQDQ).
 *
 * @param aesNi AES-NI is available (to OpenSSL, when read from OpenSSL)
 * @param pclmul PCLMULQDQ is available
 * @param source where this was read: OpenSSL's capability vector or /proc/cpuinfo
 */
public record CpuFeatures(boolean aesNi, boolean pclmul, String source) {

  // OpenSSL_version(OPENSSL_CPU_INFO) on x86: "CPUINFO: OPENSSL_ia32cap=0x<word0>:0x<word1>[ env:...]".
  private static final Pattern IA32CAP = Pattern.compile("OPENSSL_ia32cap=0x([0-9a-fA-F]+)");
  private static final int AESNI_BIT = 57;
  private static final int PCLMULQDQ_BIT = 33;

  /** Reads OpenSSL's capability vector: the first 64-bit word after OPENSSL_ia32cap was applied. */
  static CpuFeatures fromOpenSslCpuInfo(String cpuInfo) {
    Matcher m = IA32CAP.matcher(cpuInfo);
    if (!m.find()) {
      return new CpuFeatures(false, false, "OpenSSL reports no x86 capability vector");
    }
    long word0 = Long.parseUnsignedLong(m.group(1), 16);
    return new CpuFeatures(bit(word0, AESNI_BIT), bit(word0, PCLMULQDQ_BIT), "OpenSSL");
  }

  /** For backends other than OpenSSL: the kernel's view of the CPU. */
  public static CpuFeatures fromProcCpuinfo() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      String flags = lines.filter(l -> l.startsWith("flags")).findFirst().orElse("");
      return new CpuFeatures(flags.matches(".*\\baes\\b.*"), flags.matches(".*\\bpclmulqdq\\b.*"), "/proc/cpuinfo");
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures(false, false, "unknown (/proc/cpuinfo unreadable)");
    }
  }

  private static boolean bit(long word, int bit) {
    return (word & (1L << bit)) != 0;
  }
}
