package dev.ticketoffload.storm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * CPU that the processes a storm started spent during one phase, per ticket answered: its server
 * instances (child JVMs) and its throwaway {@code redis-server}, as the operating system accounts
 * for each process ({@link ProcessHandle.Info#totalCpuDuration}). NaN where not known: a server in
 * the storm's own JVM or started by someone else, a store the storm did not start, or an instance
 * that ended (was killed) during the phase.
 */
record CpuUse(double serverMicrosPerTicket, double storeMicrosPerTicket) {

  /** Cumulative CPU nanoseconds of the servers and of the store at one moment; -1 where not known. */
  record Sample(long serverNanos, long storeNanos) {}

  static Sample sample(StormTarget target) {
    return new Sample(nanos(target.serverProcesses()), nanos(target.storeProcesses()));
  }

  static CpuUse between(Sample before, Sample after, long tickets) {
    return new CpuUse(perTicket(before.serverNanos(), after.serverNanos(), tickets),
        perTicket(before.storeNanos(), after.storeNanos(), tickets));
  }

  private static double perTicket(long before, long after, long tickets) {
    return before < 0 || after < 0 || tickets == 0 ? Double.NaN : (after - before) / 1e3 / tickets;
  }

  private static long nanos(List<ProcessHandle> processes) {
    if (processes.isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (ProcessHandle p : processes) {
      Optional<Duration> cpu = p.isAlive() ? p.info().totalCpuDuration() : Optional.empty();
      if (cpu.isEmpty()) {
        return -1;
      }
      sum += cpu.get().toNanos();
    }
    return sum;
  }
}
