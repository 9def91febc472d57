package dev.ticketoffload.storm;

import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * By reference, a seal writes to the store, and an instance answers UNAVAILABLE until its store
 * connection is up (a server says "listening" before that). Seals are not retried by the client, so
 * before the storm, each instance is asked for one seal until it succeeds: a storm then measures the
 * fleet, not its start. Gives up after {@link #WAIT_NANOS}.
 */
final class StoreReadiness {

  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private StoreReadiness() {}

  static void awaitSeals(StormConfig config, StormTarget target) throws InterruptedException {
    SealRequest probe = SealRequest.newBuilder().setRealm(config.realm())
        .addItems(SealItem.newBuilder().setState(config.states().state(0)).setLifetimeSeconds(config.lifetimeSeconds()))
        .build();
    for (String address : target.addresses()) {
      ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(address, config.credentials());
      if (config.authority() != null) {
        builder.overrideAuthority(config.authority());
      }
      ManagedChannel channel = builder.build();
      try {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
          try {
            TicketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(config.rpcTimeout().toMillis(),
                TimeUnit.MILLISECONDS).seal(probe);
            break;
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
              throw new IllegalStateException("instance " + address + " does not seal by reference: "
                  + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            }
            Thread.sleep(100);
          }
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
