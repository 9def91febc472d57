package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {

  @Test
  void health_isNotServingUntilReady_thenServing() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"), List.of(), false)) {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(s.channel);
      HealthCheckRequest service = HealthCheckRequest.newBuilder().setService(TicketServer.SERVICE_NAME).build();
      assertThat(health.check(service).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
      assertThatThrownBy(() -> s.blocking().seal(States.sealRequest("", 1)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

      s.server.ready(s.crypto);

      assertThat(health.check(service).getStatus()).isEqualTo(ServingStatus.SERVING);
      assertThat(s.blocking().seal(States.sealRequest("", 1)).getResultsCount()).isEqualTo(1);
    }
  }

  @Test
  void reflection_listsTicketService() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(s.channel)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override public void onNext(ServerReflectionResponse value) { answer.complete(value); }
            @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
            @Override public void onCompleted() {}
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
      requests.onCompleted();
      assertThat(response.getListServicesResponse().getServiceList())
          .extracting(io.grpc.reflection.v1.ServiceResponse::getName)
          .contains(TicketServer.SERVICE_NAME, "grpc.health.v1.Health");
    }
  }

  @Test
  @SuppressWarnings("deprecation") // the v1alpha stubs are deprecated in grpc-java; older clients still use them
  void reflectionV1Alpha_listsTicketService_forOlderClients() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
          io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(s.channel).serverReflectionInfo(new StreamObserver<>() {
            @Override public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse value) { answer.complete(value); }
            @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
            @Override public void onCompleted() {}
          });
      requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
      var response = answer.get(10, TimeUnit.SECONDS);
      requests.onCompleted();
      assertThat(response.getListServicesResponse().getServiceList())
          .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
          .contains(TicketServer.SERVICE_NAME, "grpc.health.v1.Health");
    }
  }

  /** Holds every call for a while before gRPC hands it to the service, as a busy server would. */
  private static final class Stall implements ServerInterceptor {
    private final long millis;

    Stall(long millis) {
      this.millis = millis;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return next.startCall(call, headers);
    }
  }

  @Test
  void expiredDeadline_workIsSkippedAndCounted() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"),
        List.of(new Stall(400)), true)) {
      assertThatThrownBy(() -> s.blocking().withDeadlineAfter(150, TimeUnit.MILLISECONDS).seal(States.sealRequest("", 8)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      double skipped = 0;
      for (int i = 0; i < 50 && skipped == 0; i++) {
        Thread.sleep(20);
        var counter = s.metrics.registry().find("ticketoffload.skipped.requests").tag("reason", "deadline").counter();
        skipped = counter == null ? 0 : counter.count();
      }
      assertThat(skipped).isEqualTo(1);
      assertThat(s.metrics.registry().get("ticketoffload.items").tag("rpc", "Seal").counter().count()).isZero();
    }
  }

  @Test
  void shutdown_letsCallsInFlightFinish() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"),
        List.of(new Stall(500)), true)) {
      CountDownLatch sent = new CountDownLatch(1);
      CompletableFuture<SealResponse> inFlight = CompletableFuture.supplyAsync(() -> {
        sent.countDown();
        return s.blocking().seal(States.sealRequest("", 4));
      });
      sent.await();
      Thread.sleep(150); // the call has reached the server and is stalled there

      boolean clean = s.server.shutdown(Duration.ofSeconds(5));

      assertThat(clean).isTrue();
      assertThat(inFlight.get(5, TimeUnit.SECONDS).getResultsCount()).isEqualTo(4);
    }
  }
}
