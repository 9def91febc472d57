package dev.ticketoffload.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.client.TicketOffloadClient;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeOutcome;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResponse;
import dev.ticketoffload.api.v1.RevokeResult;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.keys.TicketMode;
import dev.ticketoffload.server.keys.KeyRingEditor;
import dev.ticketoffload.server.testing.RedisServers;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TicketdProcess;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet as operators run it: three {@code ticketd serve} processes on one key ring and one
 * redis-server, all real processes on loopback.
 */
class FleetTest {

  @TempDir
  static Path dir;
  private static RedisServers redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServers.standalone();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  private static List<TicketdProcess> fleet(String name) throws Exception {
    return fleet(name, TicketMode.VALUE);
  }

  private static List<TicketdProcess> fleet(String name, TicketMode mode) throws Exception {
    Path ring = dir.resolve(name + "-keyring.json");
    new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("default"), mode);
    List<TicketdProcess> fleet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fleet.add(new TicketdProcess(dir, name + "-" + i, "--key-ring", ring.toString(), "--store",
          redis.storeUrl(), "--store-timeout-ms", "2000"));
    }
    for (TicketdProcess t : fleet) { // until each instance's store is up, consumes fail UNAVAILABLE
      awaitConsumes(t);
    }
    return fleet;
  }

  private static void awaitConsumes(TicketdProcess t) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        // by reference the seal needs the store too: inside the retry
        ByteString ticket = t.blocking().seal(States.sealRequest("", 1)).getResults(0).getTicket();
        t.blocking().open(States.openRequest("", List.of(ticket), false));
        return;
      } catch (io.grpc.StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static List<ByteString> seal(TicketdProcess t, int n) {
    List<ByteString> tickets = new ArrayList<>();
    while (tickets.size() < n) {
      for (SealResult r : t.blocking().seal(States.sealRequest("", Math.min(1000, n - tickets.size())))
          .getResultsList()) {
        tickets.add(r.getTicket());
      }
    }
    return tickets;
  }


  private static CompletableFuture<OpenResponse> openAsync(TicketdProcess t, OpenRequest request) {
    CompletableFuture<OpenResponse> f = new CompletableFuture<>();
    t.async().open(request, new StreamObserver<>() {
      @Override
      public void onNext(OpenResponse value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable e) {
        f.completeExceptionally(e);
      }

      @Override
      public void onCompleted() {}
    });
    return f;
  }

  @Test
  void threeInstances_eachTicketAtTwoAtOnce_isOkExactlyOnce_aThirdOpenIsReplayed() throws Exception {
    List<TicketdProcess> fleet = fleet("double");
    try {
      List<ByteString> tickets = seal(fleet.get(0), 2000);
      for (int b = 0; b < 4; b++) {
        List<ByteString> batch = tickets.subList(500 * b, 500 * b + 500);
        TicketdProcess first = fleet.get(b % 3);
        TicketdProcess second = fleet.get((b + 1) % 3);
        CompletableFuture<OpenResponse> a = openAsync(first, States.consumeRequest(batch, 1));
        CompletableFuture<OpenResponse> c = openAsync(second, States.consumeRequest(batch, 2));
        OpenResponse ra = a.get(30, TimeUnit.SECONDS);
        OpenResponse rc = c.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 500; i++) {
          Outcome x = ra.getResults(i).getOutcome();
          Outcome y = rc.getResults(i).getOutcome();
          assertThat(List.of(x, y)).as("ticket %d of batch %d", i, b)
              .containsExactlyInAnyOrder(Outcome.OK, Outcome.REPLAYED);
        }
        OpenResponse third = fleet.get((b + 2) % 3).blocking().open(States.consumeRequest(batch, 3));
        assertThat(third.getResultsList()).extracting(OpenResult::getOutcome).containsOnly(Outcome.REPLAYED);
        // the winner retrying at yet another instance, with its own attempt id: OK again
        int winner = ra.getResults(0).getOutcome() == Outcome.OK ? 1 : 2;
        OpenResponse retry = fleet.get((b + 2) % 3).blocking().open(States.consumeRequest(batch.subList(0, 1), winner));
        assertThat(retry.getResults(0).getOutcome()).isEqualTo(Outcome.OK);
      }
    } finally {
      for (TicketdProcess t : fleet) {
        t.close();
      }
    }
  }

  @Test
  void instanceKilledMidStorm_behindRoundRobin_noMismatch_noDoubleOk_noResumptionLost() throws Exception {
    List<TicketdProcess> fleet = fleet("kill");
    int n = 6000;
    try (TicketOffloadClient client = TicketOffloadClient.builder()
        .addresses(fleet.stream().map(TicketdProcess::address).toList())
        .maxBatchItems(100).maxOutstandingItems(1000).maxAttempts(20)
        .rpcTimeout(Duration.ofSeconds(10)).build()) {
      List<dev.ticketoffload.api.v1.IkeSaState> states = new ArrayList<>();
      List<CompletableFuture<SealResult>> seals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        states.add(States.reference(i));
        seals.add(client.seal(states.get(i), 3600));
      }
      List<ByteString> tickets = new ArrayList<>();
      for (var s : seals) {
        tickets.add(s.get(30, TimeUnit.SECONDS).getTicket());
      }
      List<CompletableFuture<OpenResult>> opens = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i == n / 3) {
          // Pause Redis so batches at every instance have sent their SETs and wait for the answers,
          // then SIGKILL one instance: Redis executes its SETs when it wakes, and the answers are lost.
          Thread pause = Thread.ofPlatform().start(() -> {
            try {
              redis.nodes.get(0).cli("DEBUG", "SLEEP", "0.7");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          Thread.sleep(300);
          fleet.get(1).kill();
          pause.join();
        }
        opens.add(client.open(tickets.get(i)));
      }
      int mismatched = 0;
      for (int i = 0; i < n; i++) {
        OpenResult r = opens.get(i).get(60, TimeUnit.SECONDS);
        assertThat(r.getOutcome()).as("ticket %d", i).isEqualTo(Outcome.OK);
        mismatched += r.getState().equals(states.get(i)) ? 0 : 1;
      }
      assertThat(mismatched).isZero();
      // every ticket was OK for exactly one attempt: anyone else now gets REPLAYED, at any instance
      for (int b = 0; b < n / 1000; b++) {
        OpenResponse again = fleet.get(b % 2 == 0 ? 0 : 2).blocking()
            .open(States.consumeRequest(tickets.subList(1000 * b, 1000 * b + 1000), 9));
        assertThat(again.getResultsList()).extracting(OpenResult::getOutcome).containsOnly(Outcome.REPLAYED);
      }
    } finally {
      for (TicketdProcess t : fleet) {
        t.close();
      }
    }
  }

  @Test
  void threeInstances_byReference_revokedAtOne_isRevokedAtAnother_andATicketOpensOkOnceAtAThird() throws Exception {
    List<TicketdProcess> fleet = fleet("reference", TicketMode.REFERENCE);
    try {
      // states 0..3 of States.sealRequest, sealed at instance 1; each has its own IDi
      List<ByteString> tickets = seal(fleet.get(0), 4);
      assertThat(tickets).allSatisfy(t -> assertThat(t.size()).isEqualTo(64));

      RevokeResponse revoked = fleet.get(0).blocking().revoke(RevokeRequest.newBuilder()
          .addItems(RevokeItem.newBuilder().setRef(1).setIdI(States.reference(0).getIdI()))
          .addItems(RevokeItem.newBuilder().setRef(2).setTicket(tickets.get(1)))
          .build());
      assertThat(revoked.getResultsList()).extracting(RevokeResult::getOutcome)
          .containsExactly(RevokeOutcome.REVOKE_RECORDED, RevokeOutcome.REVOKE_RECORDED);

      // at instance 2: the identity's ticket and the ticket revoked by itself are REVOKED, the control opens
      OpenResponse atTwo = fleet.get(1).blocking().open(States.consumeRequest(
          List.of(tickets.get(0), tickets.get(1), tickets.get(3)), 1));
      assertThat(atTwo.getResultsList()).extracting(OpenResult::getOutcome)
          .containsExactly(Outcome.REVOKED, Outcome.REVOKED, Outcome.OK);
      assertThat(atTwo.getResults(2).getState()).isEqualTo(States.reference(3));

      // a revoked ticket is never consumed into OK afterwards, at any instance
      OpenResponse atThreeRevoked = fleet.get(2).blocking().open(States.consumeRequest(tickets.subList(0, 2), 2));
      assertThat(atThreeRevoked.getResultsList()).extracting(OpenResult::getOutcome)
          .containsOnly(Outcome.REVOKED);

      // sealed at 1, opened at 3: OK with its state, exactly once; then REPLAYED at 2
      OpenResponse atThree = fleet.get(2).blocking().open(States.consumeRequest(List.of(tickets.get(2)), 3));
      assertThat(atThree.getResults(0).getOutcome()).isEqualTo(Outcome.OK);
      assertThat(atThree.getResults(0).getState()).isEqualTo(States.reference(2));
      OpenResponse againAtTwo = fleet.get(1).blocking().open(States.consumeRequest(List.of(tickets.get(2)), 4));
      assertThat(againAtTwo.getResults(0).getOutcome()).isEqualTo(Outcome.REPLAYED);
    } finally {
      for (TicketdProcess t : fleet) {
        t.close();
      }
    }
  }
}
