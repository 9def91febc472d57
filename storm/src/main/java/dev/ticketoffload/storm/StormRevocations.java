package dev.ticketoffload.storm;

import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeOutcome;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * {@code --revoke-fraction}: between seal and open, the identities {@link StormConfig#revoked} picks
 * are revoked with the Revoke RPC, in requests of {@code --batch} items, at the first server only:
 * the opens that follow go to every instance, so a fleet storm also shows that a revocation made at
 * one instance holds at the others.
 */
final class StormRevocations {

  private final StormConfig config;
  private final StormTarget target;
  private final OpenCheck check;

  StormRevocations(StormConfig config, StormTarget target, OpenCheck check) {
    this.config = config;
    this.target = target;
    this.check = check;
  }

  void revoke(TicketStore store) throws InterruptedException {
    if (config.revokeFraction() <= 0) {
      return;
    }
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target.addresses().get(0), config.credentials());
    if (config.authority() != null) {
      builder.overrideAuthority(config.authority());
    }
    ManagedChannel channel = builder.build();
    try {
      TicketServiceGrpc.TicketServiceBlockingStub stub = TicketServiceGrpc.newBlockingStub(channel);
      RevokeRequest.Builder request = RevokeRequest.newBuilder().setRealm(config.realm());
      int first = -1;
      for (int i = 0; i < config.tickets(); i++) {
        if (!store.has(i) || !config.revoked(i)) {
          continue;
        }
        if (!config.tampered(i)) {
          check.revokedExpected.increment(); // a tampered ticket fails its tag before revocation is asked
        }
        if (request.getItemsCount() == 0) {
          first = i;
        }
        request.addItems(RevokeItem.newBuilder().setIdI(config.states().state(i).getIdI()));
        if (request.getItemsCount() == config.batch()) {
          send(stub, request, first);
        }
      }
      if (request.getItemsCount() > 0) {
        send(stub, request, first);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void send(TicketServiceGrpc.TicketServiceBlockingStub stub, RevokeRequest.Builder request, int first) {
    int items = request.getItemsCount();
    try {
      RevokeResponse response = stub.withDeadlineAfter(config.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .revoke(request.build());
      if (response.getResultsCount() != items) {
        check.error("revoke answered " + response.getResultsCount() + " results for " + items + " items",
            "from ticket " + first);
      }
      response.getResultsList().stream().filter(r -> r.getOutcome() != RevokeOutcome.REVOKE_RECORDED).forEach(r ->
          check.error("revoke gave " + r.getOutcome(), "a request from ticket " + first));
    } catch (StatusRuntimeException e) {
      check.failed("revoke", first, e);
    }
    request.clearItems();
  }
}
