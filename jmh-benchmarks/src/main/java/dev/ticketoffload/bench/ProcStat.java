package dev.ticketoffload.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    return ticksToNanos(read(Path.of("/proc", Long.toString(pid), "stat")));
  }

  private static long ticksToNanos(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]); // field 14 of proc(5); fields[0] is field 3
    long stime = Long.parseLong(fields[12]); // field 15
    return (utime + stime) * NANOS_PER_TICK;
  }

  /**
   * CPU time of {@code pid}'s live threads by kind, from {@code /proc/PID/task/TID/stat} and the
   * thread names the JVM gives the kernel (15 characters at most): {@code transport} (gRPC's Netty
   * event loops, {@code grpc-...}), {@code workers} (ticketd's pool), {@code gc}, {@code jit},
   * {@code other} (the JVM's own threads, housekeeping, main).
   */
  static Map<String, Long> threadCpuNanos(long pid) {
    Map<String, Long> byKind = new TreeMap<>();
    for (String kind : THREAD_KINDS) {
      byKind.put(kind, 0L);
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        byKind.merge(threadKind(name), ticksToNanos(stat), Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the threads of " + pid, e);
    }
    return byKind;
  }

  static final List<String> THREAD_KINDS = List.of("transport", "workers", "gc", "jit", "other");

  static String threadKind(String name) {
    if (name.startsWith("grpc-")) {
      return "transport";
    } else if (name.startsWith("ticketd-worker")) {
      return "workers";
    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return "gc";
    } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    return "other";
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
