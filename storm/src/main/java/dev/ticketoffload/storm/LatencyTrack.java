package dev.ticketoffload.storm;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one phase in microseconds. Completions record into a {@link Recorder} (no lock on
 * the gRPC threads); the progress printer harvests intervals into the running total.
 */
final class LatencyTrack {

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(30);

  private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
  private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
  private Histogram interval;

  void record(long nanos) {
    recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
  }

  /** Moves what was recorded since the last harvest into the total; returns a copy of that interval. */
  synchronized Histogram harvest() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return interval.copy();
  }

  /** Everything harvested so far (a copy). */
  synchronized Histogram harvestedSoFar() {
    return total.copy();
  }

  /** Everything recorded, after a last harvest (a copy). */
  synchronized Histogram total() {
    harvest();
    return total.copy();
  }

  static double millisAt(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
