package dev.ticketoffload.server.metrics;

import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.server.admission.WorkKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's meters (README, "Metrics"). Counters for the hot path are created once and kept in
 * arrays, so recording a batch is a few atomic adds, never a registry lookup.
 */
public final class ServiceMetrics {

  /** Outcome label of sealed items. */
  public static final String SEALED = "SEALED";

  private final MeterRegistry registry;
  private final Counter[][] openedItems = new Counter[Rpc.values().length][Outcome.values().length];
  private final Counter[] sealedItems = new Counter[Rpc.values().length];
  private final Timer[] batchLatency = new Timer[Rpc.values().length];
  private final Map<String, Counter> byLabels = new ConcurrentHashMap<>();

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Rpc rpc : Rpc.values()) {
      if (rpc.kind() == WorkKind.OPEN) {
        for (Outcome o : Outcome.values()) {
          openedItems[rpc.ordinal()][o.ordinal()] = itemCounter(rpc, o.name());
        }
      } else {
        sealedItems[rpc.ordinal()] = itemCounter(rpc, SEALED);
      }
      batchLatency[rpc.ordinal()] = Timer.builder("ticketoffload.batch")
          .description("Time from a batch's arrival at the service to its answer, crypto and checks included")
          .tag("rpc", rpc.methodName())
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(10_000))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry);
    }
  }

  private Counter itemCounter(Rpc rpc, String outcome) {
    return Counter.builder("ticketoffload.items")
        .description("Items answered, by RPC and outcome (SEALED for seals)")
        .tag("rpc", rpc.methodName()).tag("outcome", outcome)
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The items of one Open batch, counted by the caller: {@code itemsByOutcome[o.ordinal()]} items
   * had outcome {@code o}. One add per outcome present, not one per item.
   */
  public void opened(Rpc rpc, int[] itemsByOutcome) {
    Counter[] counters = openedItems[rpc.ordinal()];
    for (int o = 0; o < itemsByOutcome.length; o++) {
      if (itemsByOutcome[o] != 0) {
        counters[o].increment(itemsByOutcome[o]);
      }
    }
  }

  public void sealed(Rpc rpc, int items) {
    sealedItems[rpc.ordinal()].increment(items);
  }

  public void batchTook(Rpc rpc, long nanos) {
    batchLatency[rpc.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A request refused for load: {@code reason} is {@code overload} or {@code replay_guard_full}. */
  public void shed(Rpc rpc, String reason) {
    labelled("ticketoffload.shed.requests", "Requests refused with RESOURCE_EXHAUSTED",
        "rpc", rpc.methodName(), "reason", reason).increment();
  }

  /** A request not worked on: {@code reason} is {@code deadline} or {@code cancelled}. */
  public void skipped(Rpc rpc, String reason) {
    labelled("ticketoffload.skipped.requests", "Requests whose deadline had passed or whose call was cancelled",
        "rpc", rpc.methodName(), "reason", reason).increment();
  }

  /** A request refused as malformed or not allowed: {@code refusal} names the limit or rule. */
  public void refused(Rpc rpc, String refusal) {
    labelled("ticketoffload.refused.requests", "Requests refused with INVALID_ARGUMENT, PERMISSION_DENIED or NOT_FOUND",
        "rpc", rpc.methodName(), "refusal", refusal).increment();
  }

  public void keyRingReloaded(boolean ok) {
    labelled("ticketoffload.keyring.reloads", "Key ring file reloads, by result",
        "result", ok ? "ok" : "failed").increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  private Counter labelled(String name, String description, String... tags) {
    String key = name + String.join("\u0000", tags);
    return byLabels.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
