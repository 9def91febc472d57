package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A client that sends batches but does not read the answers must stall the server, not fill its memory. */
class StreamFlowControlTest {

  private static final int BATCHES = 400;

  @Test
  void openStream_clientNotReading_serverStopsTakingBatches_thenCatchesUp() throws Exception {
    try (LoopbackServer s = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", s.server.port()).usePlaintext()
          .flowControlWindow(64 * 1024).build();
      AtomicInteger received = new AtomicInteger();
      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletableFuture<ClientCallStreamObserver<OpenRequest>> started = new CompletableFuture<>();
      TicketServiceGrpc.newStub(channel).openStream(new ClientResponseObserver<OpenRequest, OpenResponse>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<OpenRequest> requests) {
          requests.disableAutoRequestWithInitial(0); // read nothing until told
          started.complete(requests);
        }

        @Override public void onNext(OpenResponse value) { received.incrementAndGet(); }
        @Override public void onError(Throwable t) { done.completeExceptionally(t); }
        @Override public void onCompleted() { done.complete(null); }
      });
      ClientCallStreamObserver<OpenRequest> requests = started.get(5, TimeUnit.SECONDS);
      OpenRequest batch = States.openRequest("", Collections.nCopies(1000, ByteString.copyFromUtf8("not a ticket")), true);
      for (int i = 0; i < BATCHES; i++) {
        requests.onNext(batch);
      }
      requests.onCompleted();

      Thread.sleep(1500);
      long answeredWhileStalled = batchesAnswered(s);
      assertThat(answeredWhileStalled).isPositive().isLessThan(BATCHES / 2);
      Thread.sleep(500);
      assertThat(batchesAnswered(s)).isEqualTo(answeredWhileStalled); // stalled, not slowly draining

      requests.request(Integer.MAX_VALUE);
      done.get(30, TimeUnit.SECONDS);
      assertThat(received.get()).isEqualTo(BATCHES);
      channel.shutdownNow();
    }
  }

  private static long batchesAnswered(LoopbackServer s) {
    return s.metrics.registry().get("ticketoffload.batch").tag("rpc", "OpenStream").timer().count();
  }
}
