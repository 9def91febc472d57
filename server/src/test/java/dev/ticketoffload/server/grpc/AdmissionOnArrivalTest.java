package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.GatedBackend;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.StreamCalls;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Admission happens as requests arrive, before any queue: with the only worker held busy by admitted
 * work, the excess is answered RESOURCE_EXHAUSTED with a pushback at once (not after the busy work),
 * opens are still admitted where seals are shed, and the worker queue never holds more than what
 * was admitted. Real loopback server, real AES-GCM behind a gate that holds opens.
 */
class AdmissionOnArrivalTest {

  private static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  /** 4 items per request, 8 in flight (all of them allowed to the test's one connection), seals up to 4; one worker thread. */
  private static final ServiceLimits LIMITS = ServiceLimits.defaults().withMaxItemsPerRequest(4).withWorkInFlight(8, 0.5)
      .withConnections(dev.ticketoffload.server.config.ConnectionLimits.defaults().withMaxItemsInFlightPerConnection(8));

  private static CompletableFuture<OpenResponse> open(LoopbackServer s, ByteString ticket, long deadlineMillis) {
    CompletableFuture<OpenResponse> f = new CompletableFuture<>();
    s.async().withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .open(States.openRequest("", List.of(ticket), true), observer(f));
    return f;
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> f) {
    return new StreamObserver<>() {
      @Override public void onNext(T value) { f.complete(value); }
      @Override public void onError(Throwable t) { f.completeExceptionally(t); }
      @Override public void onCompleted() {}
    };
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + PROMPTLY.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }

  private static void assertShed(Throwable t) {
    StatusRuntimeException e = (StatusRuntimeException) (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException ? t.getCause() : t);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("max-items-in-flight");
    assertThat(e.getTrailers().get(PUSHBACK)).isEqualTo("100");
  }

  private static double counter(LoopbackServer s, String name, String rpc, String reason) {
    var c = s.metrics.registry().find(name).tag("rpc", rpc).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void workerBusy_excessIsShedOnArrival_opensBeforeSeals_queueBoundedByAdmitted() throws Exception {
    GatedBackend gate = new GatedBackend(BackendSelector.select("jdk"));
    ExecutorService oneWorker = Executors.newFixedThreadPool(1);
    try (LoopbackServer s = new LoopbackServer(LIMITS, TestKeys.ring("default"), oneWorker, gate.selected())) {
      ByteString ticket = s.blocking().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      gate.close();

      // 1. an open takes the only worker and stays in AES-GCM
      List<CompletableFuture<OpenResponse>> admitted = new ArrayList<>();
      admitted.add(open(s, ticket, 30_000));
      gate.awaitArrival(PROMPTLY);
      // 2. three more: admitted, waiting for the worker; in flight 4 = the seals' ceiling
      for (int i = 0; i < 3; i++) {
        admitted.add(open(s, ticket, 30_000));
      }
      // admitted on arrival, then handed to the pool: the queue count follows the in-flight count
      await("4 items in flight, 3 batches queued",
          () -> s.server.admission().inFlightItems() == 4 && s.server.queuedBatches() == 3);

      // 3. at the seal share a seal is shed at once, while an open is still admitted
      long t0 = System.nanoTime();
      StatusRuntimeException sealShed = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
          () -> s.blocking().withDeadlineAfter(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS).seal(States.sealRequest("", 1)));
      assertShed(sealShed);
      admitted.add(open(s, ticket, 30_000));
      await("5 items in flight", () -> s.server.admission().inFlightItems() >= 5);

      // 4. a burst of 40 single-item opens: 3 fit (up to 8), 37 are shed, all while the worker is held
      List<CompletableFuture<OpenResponse>> burst = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        burst.add(open(s, ticket, 30_000));
      }
      await("37 of the burst answered", () -> burst.stream().filter(CompletableFuture::isDone).count() >= 37);
      long shedWithin = System.nanoTime() - t0;
      assertThat(gate.waiting()).as("the first open still holds the worker").isEqualTo(1);
      assertThat(admitted).noneMatch(CompletableFuture::isDone);
      List<CompletableFuture<OpenResponse>> shed = burst.stream().filter(CompletableFuture::isDone).toList();
      assertThat(shed).hasSize(37).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
      for (CompletableFuture<OpenResponse> f : shed) {
        assertShed(catchCause(f));
      }
      burst.stream().filter(f -> !f.isDone()).forEach(admitted::add);
      assertThat(admitted).hasSize(8);
      assertThat(s.server.admission().inFlightItems()).isEqualTo(8);
      assertThat(s.server.queuedBatches()).as("queued batches <= admitted items").isEqualTo(7);
      // a stream's batch is refused on arrival too
      StreamCalls.Outcome<OpenResponse> stream = StreamCalls.run(s.async()::openStream,
          List.of(States.openRequest("", List.of(ticket), true)));
      assertThat(stream.responses()).isEmpty();
      assertShed(stream.error());
      assertThat(shedWithin).isLessThan(PROMPTLY.toNanos());

      // 5. once the worker is free, everything admitted completes, in full
      gate.open();
      for (CompletableFuture<OpenResponse> f : admitted) {
        assertThat(f.get(10, TimeUnit.SECONDS).getResultsList()).extracting(OpenResult::getOutcome)
            .containsExactly(Outcome.OK);
      }
      await("nothing in flight", () -> s.server.admission().inFlightItems() == 0);
      assertThat(s.server.queuedBatches()).isZero();
      assertThat(counter(s, "ticketoffload.shed.requests", "Open", "overload")).isEqualTo(37);
      assertThat(counter(s, "ticketoffload.shed.requests", "OpenStream", "overload")).isEqualTo(1);
      assertThat(counter(s, "ticketoffload.shed.requests", "Seal", "overload")).isEqualTo(1);
    } finally {
      gate.open();
    }
  }

  @Test
  void batchWhoseDeadlinePassesWhileQueued_isSkippedWhenAWorkerGetsToIt_andCounted() throws Exception {
    GatedBackend gate = new GatedBackend(BackendSelector.select("jdk"));
    try (LoopbackServer s = new LoopbackServer(LIMITS, TestKeys.ring("default"), Executors.newFixedThreadPool(1),
        gate.selected())) {
      ByteString ticket = s.blocking().seal(States.sealRequest("", 1)).getResults(0).getTicket();
      gate.close();
      CompletableFuture<OpenResponse> first = open(s, ticket, 30_000);
      gate.awaitArrival(PROMPTLY);
      CompletableFuture<OpenResponse> late = open(s, ticket, 300);
      await("the second batch queued", () -> s.server.queuedBatches() == 1);
      Throwable expired = catchCause(late);
      assertThat(Status.fromThrowable(expired).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      // The server's deadline for the call is the client's plus the request's transit (it counts from
      // arrival): let that pass too, or a worker freed at once could still find the batch wanted.
      Thread.sleep(500);

      gate.open();
      assertThat(first.get(10, TimeUnit.SECONDS).getResultsCount()).isEqualTo(1);
      await("the skip counted", () -> counter(s, "ticketoffload.skipped.requests", "Open", "deadline") == 1);
      await("nothing in flight", () -> s.server.admission().inFlightItems() == 0);
      // only the first batch was opened
      assertThat(s.metrics.registry().get("ticketoffload.items").tag("rpc", "Open").tag("outcome", "OK").counter()
          .count()).isEqualTo(1);
    } finally {
      gate.open();
    }
  }

  private static Throwable catchCause(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected the call to fail");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + PROMPTLY);
    }
  }
}
