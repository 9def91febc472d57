package dev.ticketoffload.bench;

import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.server.testing.ReferenceStates;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a load generator sends (batches of {@code batch} items: opens of fresh tickets from a
 * {@link TicketSupply}, or seals of the reference state, one request built once and resent) and
 * what it counts of the answers: items, items not OK, calls that failed, the longest answer.
 * Thread-safe: answers arrive on several transport threads.
 */
final class LoadRequests {

  final boolean open;
  final int batch;
  private final TicketSupply tickets;
  private final SealRequest seal;
  private final LongAdder items = new LongAdder();
  private final LongAdder notOk = new LongAdder();
  private final LongAdder failedCalls = new LongAdder();
  private final AtomicLong maxLatencyNanos = new AtomicLong();
  private volatile String firstFailure;

  LoadRequests(String rpc, int batch, TicketSupply tickets) {
    this.open = switch (rpc) {
      case "open" -> true;
      case "seal" -> false;
      default -> throw new IllegalArgumentException("--rpc is open or seal, got " + rpc);
    };
    this.batch = batch;
    this.tickets = tickets;
    SealRequest.Builder s = SealRequest.newBuilder().setRealm(BenchmarkTickets.REALM);
    var state = ReferenceStates.toProto(ServiceFixtures.coreState(0));
    for (int i = 0; i < batch; i++) {
      s.addItemsBuilder().setRef(i).setState(state).setLifetimeSeconds(3600);
    }
    seal = s.build();
  }

  /** The next open of {@code batch} tickets, or null when the fresh supply ran dry. */
  OpenRequest nextOpen() {
    long first = tickets.take(batch);
    if (first < 0) {
      return null;
    }
    OpenRequest.Builder request = OpenRequest.newBuilder().setRealm(BenchmarkTickets.REALM);
    for (int i = 0; i < batch; i++) {
      request.addItemsBuilder().setRef(i).setTicket(tickets.ticket(first + i));
    }
    return request.build();
  }

  SealRequest nextSeal() {
    return seal;
  }

  /** An answer to a request sent at {@code sentNanos}. */
  void answered(Object response, long sentNanos) {
    long latency = System.nanoTime() - sentNanos;
    maxLatencyNanos.accumulateAndGet(latency, Math::max);
    if (response instanceof OpenResponse o) {
      int bad = 0;
      for (OpenResult r : o.getResultsList()) {
        bad += r.getOutcome() == Outcome.OK ? 0 : 1;
      }
      items.add(o.getResultsCount());
      notOk.add(bad);
    } else {
      items.add(((SealResponse) response).getResultsCount());
    }
  }

  void failed(Throwable t) {
    failedCalls.increment();
    if (firstFailure == null) {
      firstFailure = String.valueOf(t);
    }
  }

  boolean ranDry() {
    return open && tickets.ranDry();
  }

  long items() {
    return items.sum();
  }

  long notOk() {
    return notOk.sum();
  }

  long failedCalls() {
    return failedCalls.sum();
  }

  String firstFailure() {
    return firstFailure;
  }

  /** The longest answer since the last call, in nanoseconds; starts a new maximum. */
  long takeMaxLatencyNanos() {
    return maxLatencyNanos.getAndSet(0);
  }
}
