package dev.ticketoffload.storm;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The once-a-second line on stderr (phase, done/total, rate, p99 so far, shed), and the same
 * figures per second as JSON lines in the timeline file when one is asked for (the chart of
 * latency under overload is drawn from it).
 */
final class Progress {

  private final PrintStream err;
  private final PrintWriter timeline;
  private final long startNanos = System.nanoTime();
  private String phase;
  private long total;
  private LongAdder done;
  private LatencyTrack latency;
  private LongSupplier shedItems;
  private LatencyTrack admitted;
  private long lastDone;
  private long lastNanos;

  Progress(PrintStream err, PrintWriter timeline) {
    this.err = err;
    this.timeline = timeline;
  }

  synchronized void phase(String name, long total, LongAdder done, LatencyTrack latency, LongSupplier shedItems) {
    this.phase = name;
    this.total = total;
    this.done = done;
    this.latency = latency;
    this.shedItems = shedItems;
    this.admitted = null;
    this.lastDone = 0;
    this.lastNanos = System.nanoTime();
  }

  /** RPC latencies of admitted work in this phase, shown beside the per-ticket latency. */
  synchronized void admitted(LatencyTrack rpcs) {
    this.admitted = rpcs;
  }

  synchronized void tick() {
    if (phase == null) {
      return;
    }
    long now = System.nanoTime();
    long doneNow = done.sum();
    double rate = (doneNow - lastDone) * 1e9 / Math.max(1, now - lastNanos);
    lastDone = doneNow;
    lastNanos = now;
    Histogram interval = latency.harvest();
    Histogram soFar = latency.harvestedSoFar();
    long shed = shedItems.getAsLong();
    Histogram admittedInterval = admitted == null ? new Histogram(3) : admitted.harvest();
    err.printf(Locale.ROOT, "storm %-5s %,d/%,d  %,.0f/s  p99 %.1f ms so far  shed %,d%n",
        phase, doneNow, total, rate, LatencyTrack.millisAt(soFar, 99), shed);
    if (timeline != null) {
      timeline.printf(Locale.ROOT, "{\"t_s\":%.3f,\"phase\":\"%s\",\"done\":%d,\"per_s\":%.1f,"
              + "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"shed\":%d,"
              + "\"admitted_rpc_p99_ms\":%.3f}%n",
          (now - startNanos) / 1e9, phase, doneNow, rate, LatencyTrack.millisAt(interval, 50),
          LatencyTrack.millisAt(interval, 99), LatencyTrack.millisAt(interval, 99.9),
          interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0, shed,
          LatencyTrack.millisAt(admittedInterval, 99));
      timeline.flush();
    }
  }
}
