package dev.ticketoffload.api.client;

import java.util.concurrent.atomic.LongAdder;

/** The mutable side of {@link ClientStats}: striped counters, cheap on the hot path. */
final class StatsCounters {

  final LongAdder rpcsSent = new LongAdder();
  final LongAdder itemsSent = new LongAdder();
  final LongAdder rpcsShed = new LongAdder();
  final LongAdder itemsShed = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder itemsAnswered = new LongAdder();
  final LongAdder itemsFailed = new LongAdder();
  final LongAdder itemsRejected = new LongAdder();

  ClientStats snapshot() {
    return new ClientStats(rpcsSent.sum(), itemsSent.sum(), rpcsShed.sum(), itemsShed.sum(),
        retries.sum(), itemsAnswered.sum(), itemsFailed.sum(), itemsRejected.sum());
  }
}
