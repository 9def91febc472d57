package dev.ticketoffload.server.grpc;

import dev.ticketoffload.server.metrics.Rpc;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused calls, at most one line per refusal class per interval with the count suppressed
 * since: a storm of bad requests must not become a storm of log lines. Descriptions never contain
 * request content.
 */
final class RefusalLog {

  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

  private final long intervalNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    final AtomicLong nextLogNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }

  RefusalLog(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  void log(Rpc rpc, String refusalClass, String description) {
    Window w = windows.computeIfAbsent(rpc.methodName() + "/" + refusalClass, k -> new Window());
    long now = System.nanoTime();
    long next = w.nextLogNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && w.nextLogNanos.compareAndSet(next, now + intervalNanos)) {
      long suppressed = w.suppressed.getAndSet(0);
      LOG.warn("refused {} ({}): {}{}", rpc.methodName(), refusalClass, description,
          suppressed == 0 ? "" : " [" + suppressed + " more of this class since the last line]");
    } else {
      w.suppressed.incrementAndGet();
    }
  }
}
