package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.server.admission.Permit;
import dev.ticketoffload.server.admission.WorkKind;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.StreamCalls;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each configurable limit, through the wire. */
class LimitsTest {

  private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private static List<ByteString> tickets(SealResponse response) {
    return response.getResultsList().stream().map(SealResult::getTicket).toList();
  }

  @Test
  void itemsPerRequest_overLimit_isInvalidArgumentNamingIt_unaryAndStream() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults().withMaxItemsPerRequest(4), TestKeys.ring("default"))) {
      assertThat(s.blocking().seal(States.sealRequest("", 4)).getResultsCount()).isEqualTo(4);
      assertThatThrownBy(() -> s.blocking().seal(States.sealRequest("", 5)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("max-items-per-request (4)");
          });
      List<ByteString> five = new ArrayList<>(Collections.nCopies(5, ByteString.copyFromUtf8("x")));
      StreamCalls.Outcome<OpenResponse> stream = StreamCalls.run(s.async()::openStream,
          List.of(States.openRequest("", five.subList(0, 1), true), States.openRequest("", five, true)));
      assertThat(stream.responses()).hasSize(1);
      assertThat(Status.fromThrowable(stream.error()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(Status.fromThrowable(stream.error()).getDescription()).contains("max-items-per-request");
    }
  }

  @Test
  void emptyRequest_isInvalidArgument() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      assertThatThrownBy(() -> s.blocking().open(States.openRequest("", List.of(), false)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void refusals_nameTheFieldAndAreCountedByRefusal() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      assertRefused(() -> s.blocking().open(States.openRequest("", List.of(), false)),
          Status.Code.INVALID_ARGUMENT, "at least one item");
      assertRefused(() -> s.blocking().seal(States.sealRequest("Not A Realm!", 1)),
          Status.Code.INVALID_ARGUMENT, "realm: ");
      assertRefused(() -> s.blocking().seal(States.sealRequest("elsewhere", 1)),
          Status.Code.NOT_FOUND, "realm \"elsewhere\" is not in the key ring");
      SealRequest secondWithoutState = States.sealRequest("", 1).toBuilder().addItems(SealItem.newBuilder()).build();
      assertRefused(() -> s.blocking().seal(secondWithoutState), Status.Code.INVALID_ARGUMENT, "items[1].state is missing");
      for (String refusal : List.of("empty", "realm_name", "unknown_realm", "state")) {
        assertThat(s.metrics.registry().get("ticketoffload.refused.requests").tag("refusal", refusal).counter().count())
            .as(refusal).isEqualTo(1.0);
      }
    }
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code,
      String description) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(description);
    });
  }

  @Test
  void ticketBytes_sealOverLimitIsInvalidArgument_openOverLimitIsMalformed() throws Exception {
    KeyRing ring = TestKeys.ring("default");
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults().withMaxTicketBytes(300), ring)) {
      SealRequest big = SealRequest.newBuilder().addItems(SealItem.newBuilder()
          .setState(States.reference(1).toBuilder().setExt(States.bytes(400, 1)))).build();
      assertThatThrownBy(() -> s.blocking().seal(big))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("items[0]").contains("max-ticket-bytes (300)");
          });
      // A genuine ticket above the limit, sealed with the same keys by a sealer without that limit.
      TicketCrypto unlimited = TicketCrypto.assemble(BackendSelector.select("jdk"), ring, ServiceLimits.defaults(), s.clock);
      IkeSaState state = ProtoStates.toCore(big.getItems(0).getState(), s.clock.seconds(), s.clock.seconds() + 60);
      byte[] oversized = unlimited.sealer().seal("default", state);
      assertThat(oversized.length).isGreaterThan(300);

      OpenResponse response = s.blocking().open(States.openRequest("",
          List.of(ByteString.copyFrom(oversized), tickets(s.blocking().seal(States.sealRequest("", 1))).getFirst()), false));

      assertThat(response.getResultsList()).extracting(OpenResult::getOutcome).containsExactly(Outcome.MALFORMED, Outcome.OK);
    }
  }

  @Test
  void requestBytes_overLimit_isRefusedByGrpcWithResourceExhausted() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults().withMaxRequestBytes(10_000), TestKeys.ring("default"))) {
      List<ByteString> small = Collections.nCopies(5, States.bytes(1000, 1));
      assertThat(s.blocking().open(States.openRequest("", small, true)).getResultsCount()).isEqualTo(5);
      List<ByteString> large = Collections.nCopies(20, States.bytes(1000, 1));
      assertThatThrownBy(() -> s.blocking().open(States.openRequest("", large, true)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("10000");
          });
    }
  }

  @Test
  void concurrentCallsPerConnection_pastLimit_waitsForAFreeStream() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults().withMaxConcurrentCallsPerConnection(2),
        TestKeys.ring("default"))) {
      List<StreamObserver<OpenRequest>> open = new ArrayList<>();
      List<CompletableFuture<OpenResponse>> firstAnswers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        CompletableFuture<OpenResponse> answered = new CompletableFuture<>();
        StreamObserver<OpenRequest> stream = s.async().openStream(new StreamObserver<>() {
          @Override public void onNext(OpenResponse value) { answered.complete(value); }
          @Override public void onError(Throwable t) { answered.completeExceptionally(t); }
          @Override public void onCompleted() {}
        });
        stream.onNext(States.openRequest("", List.of(ByteString.copyFromUtf8("x")), true));
        firstAnswers.add(answered);
        open.add(stream);
      }
      for (CompletableFuture<OpenResponse> f : firstAnswers) {
        f.get(10, TimeUnit.SECONDS); // both streams are live on the server
      }
      assertThatThrownBy(() -> s.blocking().withDeadlineAfter(500, TimeUnit.MILLISECONDS)
          .open(States.openRequest("", List.of(ByteString.copyFromUtf8("x")), true)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      open.getFirst().onCompleted();
      assertThat(s.blocking().withDeadlineAfter(10, TimeUnit.SECONDS)
          .open(States.openRequest("", List.of(ByteString.copyFromUtf8("x")), true)).getResultsCount()).isEqualTo(1);
      open.get(1).onCompleted();
    }
  }

  @Test
  void workInFlight_full_shedsWithPushback_sealsBeforeOpens() throws Exception {
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(8).withWorkInFlight(10, 0.5);
    try (LoopbackServer s = new LoopbackServer(limits, TestKeys.ring("default"))) {
      List<ByteString> tickets = tickets(s.blocking().seal(States.sealRequest("", 4)));
      try (Permit held = s.server.admission().tryAdmit(WorkKind.OPEN, 6)) {
        assertThat(held).isNotNull();
        // seals may only use half of the capacity: 6 in flight already leaves none for them
        assertShed(() -> s.blocking().seal(States.sealRequest("", 1)));
        // opens still fit up to the full capacity...
        assertThat(s.blocking().open(States.openRequest("", tickets.subList(0, 4), false)).getResultsList())
            .extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
        // ...but not past it
        assertShed(() -> s.blocking().open(States.openRequest("", List.of(ByteString.copyFromUtf8("x"), ByteString.copyFromUtf8("y"),
            ByteString.copyFromUtf8("z"), ByteString.copyFromUtf8("w"), ByteString.copyFromUtf8("v")), true)));
      }
      assertNothingInFlightSoon(s);
      assertThat(s.blocking().seal(States.sealRequest("", 5)).getResultsCount()).isEqualTo(5);
    }
  }

  private static void assertShed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).contains("max-items-in-flight");
      assertThat(e.getTrailers().get(PUSHBACK)).isEqualTo("100");
    });
  }

  @Test
  void overload_manyConcurrentClients_onlyOkOrShed_andAdmittedWorkCompletes() throws Exception {
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(512).withWorkInFlight(1024, 0.5);
    try (LoopbackServer s = new LoopbackServer(limits, TestKeys.ring("default"))) {
      List<ByteString> tickets = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tickets.addAll(tickets(s.blocking().seal(States.sealRequest("", 256))));
      }
      ExecutorService clients = Executors.newFixedThreadPool(16);
      List<Future<Status.Code>> calls = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        List<ByteString> mine = tickets.subList(c * 256, c * 256 + 256);
        calls.add(clients.submit(() -> {
          try {
            OpenResponse r = s.blocking().open(States.openRequest("", mine, false));
            assertThat(r.getResultsList()).extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
            return Status.Code.OK;
          } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
          }
        }));
      }
      int ok = 0;
      for (Future<Status.Code> f : calls) {
        Status.Code code = f.get(60, TimeUnit.SECONDS);
        assertThat(code).isIn(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
        ok += code == Status.Code.OK ? 1 : 0;
      }
      clients.shutdown();
      assertThat(ok).isPositive();
      assertNothingInFlightSoon(s);
    }
  }

  @Test
  void replayGuardFull_refuse_shedsConsumingBatchesWholeButServesPeeks() throws Exception {
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(3).withReplayGuard(3, WhenFull.REFUSE);
    try (LoopbackServer s = new LoopbackServer(limits, TestKeys.ring("default"))) {
      List<ByteString> tickets = new java.util.ArrayList<>(tickets(s.blocking().seal(States.sealRequest("", 3))));
      tickets.addAll(tickets(s.blocking().seal(States.sealRequest("", 2))));
      assertThat(s.blocking().open(States.openRequest("", tickets.subList(0, 3), false)).getResultsList())
          .extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);

      assertThatThrownBy(() -> s.blocking().open(States.openRequest("", tickets.subList(3, 5), false)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("max_replay_entries (3)");
            assertThat(e.getTrailers().get(PUSHBACK)).isNotNull();
          });
      assertThat(s.blocking().open(States.openRequest("", tickets.subList(3, 5), true)).getResultsList())
          .extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
      // nothing of the refused batch was consumed
      assertThat(((dev.ticketoffload.server.store.MemoryStore) s.crypto.store()).size()).isEqualTo(3);
    }
  }

  @Test
  void replayGuardFull_evictOldest_keepsOpening() throws Exception {
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(3).withReplayGuard(3, WhenFull.EVICT_OLDEST);
    try (LoopbackServer s = new LoopbackServer(limits, TestKeys.ring("default"))) {
      for (int batch = 0; batch < 2; batch++) {
        List<ByteString> tickets = tickets(s.blocking().seal(States.sealRequest("", 3)));
        assertThat(s.blocking().open(States.openRequest("", tickets, false)).getResultsList())
            .extracting(OpenResult::getOutcome).containsOnly(Outcome.OK);
      }
      assertThat(((dev.ticketoffload.server.store.MemoryStore) s.crypto.store()).size()).isLessThanOrEqualTo(3);
    }
  }

  /**
   * A batch's items are released just after its answer is handed to gRPC, so a client may see the
   * answer a moment before the server has released them.
   */
  private static void assertNothingInFlightSoon(LoopbackServer s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (s.server.admission().inFlightItems() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(s.server.admission().inFlightItems()).isZero();
  }
}
