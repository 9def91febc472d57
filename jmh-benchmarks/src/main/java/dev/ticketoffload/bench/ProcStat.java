package dev.ticketoffload.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process as Linux accounts it ({@code /proc/PID/stat}: utime + stime, every thread,
 * GC and JIT included), and the machine's load average. Linux only; the resolution is one clock
 * tick (10 ms), so slices of seconds are needed for a figure per item.
 */
final class ProcStat {

  /**
   * USER_HZ, the unit of utime and stime: 100 on every architecture Linux supports for user space
   * ({@code getconf CLK_TCK}); the kernel's own HZ does not show through /proc.
   */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcStat() {}

  /** utime + stime of {@code pid} in nanoseconds. */
  static long cpuNanos(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]); // field 14 of proc(5); fields[0] is field 3
    long stime = Long.parseLong(fields[12]); // field 15
    return (utime + stime) * NANOS_PER_TICK;
  }

  /** The first three fields of /proc/loadavg (1, 5 and 15 minutes), as {@code uptime} shows them. */
  static String loadAverage() {
    String[] fields = read(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (Linux /proc is needed)", e);
    }
  }
}
