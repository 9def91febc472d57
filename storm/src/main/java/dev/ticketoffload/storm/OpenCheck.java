package dev.ticketoffload.storm;

import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Judges every answer of a storm against what it must be, and counts. Anything not foreseen is an
 * error, kept with a few examples so the summary can say what went wrong.
 */
final class OpenCheck {

  private static final int EXAMPLES = 5;

  final LongAdder sealed = new LongAdder();
  final LongAdder ok = new LongAdder();
  final LongAdder mismatched = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder replaysRejected = new LongAdder();
  final LongAdder tamperedRejected = new LongAdder();
  /** Authentic tickets whose open in the failover never ended OK: resumptions the gateways lost. */
  final LongAdder lost = new LongAdder();
  /** Tickets answered OK to a second open by another attempt: single use broken. */
  final LongAdder doubleOk = new LongAdder();
  /** Tickets of revoked identities ({@code --revoke-fraction}) answered REVOKED. */
  final LongAdder revoked = new LongAdder();
  /** Tickets of revoked identities, not tampered, sent to be opened: each must come back REVOKED. */
  final LongAdder revokedExpected = new LongAdder();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final Queue<String> examples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger examplesKept = new AtomicInteger();
  private final StormStates states;

  OpenCheck(StormStates states) {
    this.states = states;
  }

  /** An open of ticket {@code i} in the failover phase. */
  void opened(int i, boolean tampered, OpenResult result) {
    if (tampered) {
      if (result.getOutcome() == Outcome.AUTH_FAILED) {
        tamperedRejected.increment();
      } else {
        error("tampered ticket opened as " + result.getOutcome(), "ticket " + i);
      }
      return;
    }
    if (result.getOutcome() != Outcome.OK) {
      lost.increment();
      error("open gave " + result.getOutcome(), "ticket " + i);
      return;
    }
    if (result.getState().equals(states.state(i))) {
      ok.increment();
    } else {
      mismatched.increment();
      example("ticket " + i + ": opened state differs from the sealed one");
    }
  }

  /**
   * Ticket {@code i} sent to two instances at once ({@code --double-open}), both answers in: single
   * use allows one OK at most, and the other copy must be REPLAYED (or AUTH_FAILED, both, when tampered).
   */
  void openedTwice(int i, boolean tampered, CompletableFuture<OpenResult> first, CompletableFuture<OpenResult> second) {
    int oks = 0;
    for (CompletableFuture<OpenResult> copy : List.of(first, second)) {
      OpenResult result;
      try {
        result = copy.join();
      } catch (CompletionException | CancellationException e) {
        failed("double open", i, e.getCause() == null ? e : e.getCause());
        continue;
      }
      Outcome outcome = result.getOutcome();
      if (tampered) {
        if (outcome != Outcome.AUTH_FAILED) {
          error("tampered ticket opened as " + outcome, "ticket " + i);
        }
      } else if (outcome == Outcome.OK) {
        oks++;
        if (!result.getState().equals(states.state(i))) {
          mismatched.increment();
          example("ticket " + i + ": opened state differs from the sealed one");
        }
      } else if (outcome != Outcome.REPLAYED) {
        error("double open gave " + outcome, "ticket " + i);
      }
    }
    if (tampered) {
      tamperedRejected.increment();
    } else if (oks == 0) {
      lost.increment();
      error("double open: neither copy OK", "ticket " + i);
    } else if (oks == 2) {
      doubleOk.increment();
      error("double open: OK at both instances", "ticket " + i);
    } else {
      ok.increment();
    }
  }

  /** An open of ticket {@code i}, whose identity the storm revoked: it must be REVOKED. */
  void openedRevoked(int i, OpenResult result) {
    if (result.getOutcome() == Outcome.REVOKED) {
      revoked.increment();
    } else {
      error("revoked ticket opened as " + result.getOutcome(), "ticket " + i);
    }
  }

  /** A second open of ticket {@code i}, which must be refused as a replay. */
  void reopened(int i, OpenResult result) {
    if (result.getOutcome() == Outcome.OK) {
      doubleOk.increment();
    }
    if (result.getOutcome() == Outcome.REPLAYED) {
      replaysRejected.increment();
    } else {
      error("second open gave " + result.getOutcome() + " instead of REPLAYED", "ticket " + i);
    }
  }

  void failed(String what, int i, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    String kind = status.getCode() == Status.Code.UNKNOWN
        ? failure.getClass().getSimpleName() : status.getCode().toString();
    error(what + " failed: " + kind, "ticket " + i + ": " + failure.getMessage());
  }

  void error(String kind, String detail) {
    errors.increment();
    errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    example(kind + " (" + detail + ")");
  }

  private void example(String text) {
    if (examplesKept.getAndIncrement() < EXAMPLES) {
      examples.add(text);
    }
  }

  Map<String, LongAdder> errorKinds() {
    return errorKinds;
  }

  Iterable<String> examples() {
    return examples;
  }
}
