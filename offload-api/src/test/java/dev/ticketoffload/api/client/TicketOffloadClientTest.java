package dev.ticketoffload.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real loopback gRPC server with scripted behaviour. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TicketOffloadClientTest {

  private final ScriptedTicketService service = new ScriptedTicketService();
  private final LoopbackServer server = new LoopbackServer(service);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    server.close();
  }

  private TicketOffloadClientBuilder clientTo(String... addresses) {
    return TicketOffloadClient.builder().addresses(addresses).retryJitter(0);
  }

  private TicketOffloadClient started(TicketOffloadClientBuilder builder) {
    TicketOffloadClient client = builder.build();
    toClose.add(() -> client.close(Duration.ZERO));
    return client;
  }

  static IkeSaState state(int n) {
    return IkeSaState.newBuilder()
        .setSpiI(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) n}))
        .setSpiR(ByteString.copyFrom(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}))
        .setAuthMethod(2).setSkD(ByteString.copyFromUtf8("sk_d-" + n))
        .setIdI(ByteString.copyFromUtf8("idi")).setIdR(ByteString.copyFromUtf8("idr"))
        .setSaR(ByteString.copyFromUtf8("sar")).build();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("future completed normally: " + future.join());
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void seal_thenOpen_returnsTheSealedState() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address()).realm("fleet-a"));

    SealResult sealed = await(client.seal(state(1), 3600));
    OpenResult opened = await(client.open(sealed.getTicket()));

    assertThat(sealed.getLifetimeSeconds()).isEqualTo(3600);
    assertThat(opened.getOutcome()).isEqualTo(Outcome.OK);
    assertThat(opened.getState()).isEqualTo(state(1));
    assertThat(service.realms).containsOnly("fleet-a");
  }

  @Test
  void open_twice_isReplayedAsAValue_andPeekDoesNotConsume() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address()));
    ByteString ticket = await(client.seal(state(2), 60)).getTicket();

    assertThat(await(client.peek(ticket)).getOutcome()).isEqualTo(Outcome.OK);
    assertThat(await(client.open(ticket)).getOutcome()).isEqualTo(Outcome.OK);
    assertThat(await(client.open(ticket)).getOutcome()).isEqualTo(Outcome.REPLAYED);
    assertThat(await(client.open(ByteString.copyFromUtf8("forged"))).getOutcome()).isEqualTo(Outcome.AUTH_FAILED);
  }

  @Test
  void concurrentCalls_areSentAsFullBatches_andTheRestAfterLinger() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address())
        .maxBatchItems(10).linger(Duration.ofMillis(300)));
    List<CompletableFuture<SealResult>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 25; i++) {
      futures.add(client.seal(state(i), 60));
    }
    for (int i = 0; i < 20; i++) {
      await(futures.get(i));
    }
    long fullBatchesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    for (int i = 20; i < 25; i++) {
      assertThat(ScriptedTicketService.ticketOf(state(i))).isEqualTo(await(futures.get(i)).getTicket());
    }
    long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(service.batchSizes).containsExactly(10, 10, 5);
    assertThat(fullBatchesMillis).isLessThan(250);
    assertThat(allMillis).isGreaterThanOrEqualTo(250);
  }

  @Test
  void lingerZero_sendsEveryItemAlone() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address()).linger(Duration.ZERO));
    for (int i = 0; i < 3; i++) {
      await(client.seal(state(i), 60));
    }
    assertThat(service.batchSizes).containsExactly(1, 1, 1);
  }

  @Test
  void shed_isRetriedAfterTheServersPushback() throws Exception {
    service.shedNextCalls.set(2);
    service.pushbackMillis = "150";
    List<Status.Code> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    TicketOffloadClient client = started(clientTo(server.address())
        .attemptListener((method, items, nanos, code) -> attempts.add(code)));

    long start = System.nanoTime();
    SealResult sealed = await(client.seal(state(3), 60));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(sealed.getTicket()).isEqualTo(ScriptedTicketService.ticketOf(state(3)));
    assertThat(service.batchSizes).hasSize(3);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
    ClientStats stats = client.stats();
    assertThat(stats.rpcsShed()).isEqualTo(2);
    assertThat(stats.retries()).isEqualTo(2);
    assertThat(stats.itemsAnswered()).isEqualTo(1);
    assertThat(attempts).containsExactly(Status.Code.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.OK);
  }

  @Test
  void resourceExhaustedWithoutPushback_isNotRetried_asAProxyMaySendItAfterTheWork() throws Exception {
    service.shedNextCalls.set(1);
    service.pushbackMillis = null;
    TicketOffloadClient client = started(clientTo(server.address()));

    Throwable failure = failureOf(client.seal(state(3), 60));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(service.batchSizes).hasSize(1);
    assertThat(client.stats().retries()).isZero();
  }

  @Test
  void answerLargerThanTheClientsInboundLimit_isNotRetried_soTheConsumedTicketIsNotReplayed() throws Exception {
    // The service consumes the ticket and answers; the client's own gRPC refuses the 2 MB answer with
    // RESOURCE_EXHAUSTED. Sending again would only find the ticket REPLAYED.
    IkeSaState big = state(5).toBuilder().setExt(ByteString.copyFrom(new byte[2 << 20])).build();
    TicketOffloadClient client = started(clientTo(server.address()).maxInboundMessageBytes(1 << 20));

    Throwable failure = failureOf(client.open(ScriptedTicketService.ticketOf(big)));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(service.batchSizes).hasSize(1);
  }

  @Test
  void shed_onEveryAttempt_failsWithResourceExhaustedAfterMaxAttempts() throws Exception {
    service.shedNextCalls.set(100);
    service.pushbackMillis = "1";
    TicketOffloadClient client = started(clientTo(server.address()).maxAttempts(3));

    Throwable failure = failureOf(client.open(ByteString.copyFromUtf8("Tx")));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(service.batchSizes).hasSize(3);
    assertThat(client.stats().itemsFailed()).isEqualTo(1);
  }

  @Test
  void negativePushback_meansDoNotRetry() throws Exception {
    service.shedNextCalls.set(1);
    service.pushbackMillis = "-1";
    TicketOffloadClient client = started(clientTo(server.address()));

    Throwable failure = failureOf(client.seal(state(4), 60));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(service.batchSizes).hasSize(1);
  }

  @Test
  void otherFailure_isSurfacedAsIs_withoutRetry() throws Exception {
    service.failWith = Status.INVALID_ARGUMENT.withDescription("item 0: spi_i must be 8 bytes");
    TicketOffloadClient client = started(clientTo(server.address()));

    Throwable failure = failureOf(client.seal(state(5), 60));

    assertThat(failure).isInstanceOf(StatusRuntimeException.class);
    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Status.fromThrowable(failure).getDescription()).isEqualTo("item 0: spi_i must be 8 bytes");
    assertThat(service.batchSizes).hasSize(1);
  }

  @Test
  void silentServer_failsWithDeadlineExceeded() throws Exception {
    service.silent = true;
    TicketOffloadClient client = started(clientTo(server.address()).rpcTimeout(Duration.ofMillis(200)));

    Throwable failure = failureOf(client.open(ByteString.copyFromUtf8("Tx")));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void wrongNumberOfResults_failsTheBatchWithInternal() throws Exception {
    service.dropLastResult = true;
    TicketOffloadClient client = started(clientTo(server.address()).maxBatchItems(2).linger(Duration.ofSeconds(1)));

    CompletableFuture<SealResult> first = client.seal(state(1), 60);
    CompletableFuture<SealResult> second = client.seal(state(2), 60);

    assertThat(Status.fromThrowable(failureOf(first)).getDescription()).contains("1 results for 2 items");
    assertThat(failureOf(second)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void resultsOutOfOrder_failsTheBatchWithInternal_namingTheRef() throws Exception {
    service.swapFirstResults = true;
    TicketOffloadClient client = started(clientTo(server.address()).maxBatchItems(2).linger(Duration.ofSeconds(1)));

    CompletableFuture<SealResult> first = client.seal(state(1), 60);
    CompletableFuture<SealResult> second = client.seal(state(2), 60);

    Status status = Status.fromThrowable(failureOf(first));
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).isEqualTo("result 0 carries ref 1, expected 0");
    assertThat(Status.fromThrowable(failureOf(second)).getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(client.stats().itemsFailed()).isEqualTo(2);
  }

  @Test
  void callbackExecutor_completesFuturesOnIt() throws Exception {
    java.util.concurrent.ExecutorService callbacks = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> new Thread(r, "test-callbacks"));
    toClose.add(callbacks::shutdownNow);
    TicketOffloadClient client = started(clientTo(server.address()).linger(Duration.ZERO).callbackExecutor(callbacks));

    // the callbacks' one thread waits until the stage is attached, so the seal cannot complete before it
    // (a stage attached to a completed future would run here, on the test's thread)
    java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
    callbacks.execute(() -> {
      try {
        attached.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<String> thread = client.seal(state(1), 60).thenApply(r -> Thread.currentThread().getName());
    attached.countDown();

    assertThat(await(thread)).isEqualTo("test-callbacks");
  }

  @Test
  void outstandingBound_reached_rejectsAtOnceWhenNoWait() throws Exception {
    service.silent = true;
    TicketOffloadClient client = started(clientTo(server.address())
        .maxBatchItems(4).maxOutstandingItems(4).maxWaitForCapacity(Duration.ZERO));
    for (int i = 0; i < 4; i++) {
      client.seal(state(i), 60);
    }

    Throwable failure = failureOf(client.seal(state(9), 60));

    assertThat(failure).isInstanceOf(ClientOverloadedException.class).hasMessageContaining("max-outstanding-items");
    assertThat(client.stats().itemsRejected()).isEqualTo(1);
    awaitUntil(() -> !service.batchSizes.isEmpty());
    assertThat(service.batchSizes).containsExactly(4);
  }

  @Test
  void outstandingBound_reached_blocksTheCallerUpToMaxWait() throws Exception {
    service.silent = true;
    TicketOffloadClient client = started(clientTo(server.address())
        .maxBatchItems(2).maxOutstandingItems(2).maxWaitForCapacity(Duration.ofMillis(300)));
    client.seal(state(1), 60);
    client.seal(state(2), 60);

    long start = System.nanoTime();
    CompletableFuture<SealResult> third = client.seal(state(3), 60);
    long blockedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(blockedMillis).isGreaterThanOrEqualTo(250);
    assertThat(failureOf(third)).isInstanceOf(ClientOverloadedException.class);
  }

  @Test
  void outstandingBound_manyMoreCallsThanTheBound_allCompleteAsAnswersFreeCapacity() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address())
        .maxBatchItems(8).maxOutstandingItems(16).linger(Duration.ofMillis(1)));
    List<CompletableFuture<SealResult>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(client.seal(state(i), 60));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(service.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
    assertThat(client.stats().itemsAnswered()).isEqualTo(2000);
  }

  @Test
  void close_withSilentServer_failsEveryPendingFuture() throws Exception {
    service.silent = true;
    TicketOffloadClient client = started(clientTo(server.address())
        .maxBatchItems(10).linger(Duration.ofSeconds(1)).rpcTimeout(Duration.ofMinutes(1)));
    List<CompletableFuture<SealResult>> futures = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      futures.add(client.seal(state(i), 60));
    }

    boolean drained = client.close(Duration.ofMillis(100));

    assertThat(drained).isFalse();
    for (CompletableFuture<SealResult> future : futures) {
      assertThat(future).isDone();
      assertThat(failureOf(future)).isInstanceOf(ClientClosedException.class);
    }
    assertThat(failureOf(client.open(ByteString.copyFromUtf8("Tx")))).isInstanceOf(ClientClosedException.class);
  }

  @Test
  void close_sendsWhatIsLingering_andCompletesIt() throws Exception {
    TicketOffloadClient client = started(clientTo(server.address()).linger(Duration.ofSeconds(1)));
    List<CompletableFuture<SealResult>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(client.seal(state(i), 60));
    }

    assertThat(client.close(Duration.ofSeconds(5))).isTrue();

    for (int i = 0; i < 5; i++) {
      assertThat(futures.get(i).getNow(null).getTicket()).isEqualTo(ScriptedTicketService.ticketOf(state(i)));
    }
  }

  @Test
  void close_whileShedBatchWaitsForRetry_failsIt() throws Exception {
    service.shedNextCalls.set(1);
    service.pushbackMillis = "60000";
    TicketOffloadClient client = started(clientTo(server.address()));
    CompletableFuture<SealResult> future = client.seal(state(1), 60);
    awaitUntil(() -> client.stats().retries() > 0);

    client.close(Duration.ofMillis(50));

    assertThat(failureOf(future)).isInstanceOf(ClientClosedException.class);
  }

  @Test
  void severalAddresses_batchesAreSpreadOverEveryServer() throws Exception {
    ScriptedTicketService other = new ScriptedTicketService();
    try (LoopbackServer second = new LoopbackServer(other)) {
      TicketOffloadClient client = started(clientTo(server.address(), second.address()).linger(Duration.ZERO));
      for (int i = 0; i < 200; i++) {
        await(client.seal(state(i), 60));
      }
      assertThat(service.batchSizes).isNotEmpty();
      assertThat(other.batchSizes).isNotEmpty();
      assertThat(service.batchSizes.size() + other.batchSizes.size()).isEqualTo(200);
    }
  }

  @Test
  void builder_rejectsInvalidOptionsWhereTheyAreSet() {
    TicketOffloadClientBuilder builder = TicketOffloadClient.builder();
    assertThatThrownBy(() -> builder.maxBatchItems(0)).hasMessageContaining("maxBatchItems");
    assertThatThrownBy(() -> builder.maxBatchItems(4097)).hasMessageContaining("maxBatchItems");
    assertThatThrownBy(() -> builder.linger(Duration.ofMillis(-1))).hasMessageContaining("linger");
    assertThatThrownBy(() -> builder.rpcTimeout(Duration.ZERO)).hasMessageContaining("rpcTimeout");
    assertThatThrownBy(() -> builder.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> builder.retryJitter(1.5)).hasMessageContaining("retryJitter");
    assertThatThrownBy(() -> builder.addresses("no-port")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> builder.addresses("127.0.0.1:70000")).hasMessageContaining("port");
    assertThatThrownBy(() -> builder.addresses(List.of())).hasMessageContaining("empty");
    assertThatThrownBy(builder::build).hasMessageContaining("exactly one of target");
    assertThatThrownBy(() -> TicketOffloadClient.builder().target("dns:///x:1").addresses("127.0.0.1:1").build())
        .hasMessageContaining("exactly one of target");
    assertThatThrownBy(() -> TicketOffloadClient.builder().addresses("127.0.0.1:1")
        .maxBatchItems(100).maxOutstandingItems(99).build()).hasMessageContaining("maxOutstandingItems");
  }

  @Test
  void builder_rejectsTheOtherInvalidOptions_namingThem() {
    TicketOffloadClientBuilder builder = TicketOffloadClient.builder();
    assertThatThrownBy(() -> builder.maxOutstandingItems(0)).hasMessageContaining("maxOutstandingItems");
    assertThatThrownBy(() -> builder.maxWaitForCapacity(Duration.ofMillis(-1))).hasMessageContaining("maxWaitForCapacity");
    assertThatThrownBy(() -> builder.retryJitter(Double.NaN)).hasMessageContaining("retryJitter");
    assertThatThrownBy(() -> builder.maxInboundMessageBytes((1 << 20) - 1)).hasMessageContaining("maxInboundMessageBytes");
    assertThatThrownBy(() -> builder.closeGracePeriod(Duration.ofMillis(-1))).hasMessageContaining("closeGracePeriod");
    assertThatThrownBy(() -> builder.addresses("127.0.0.1:http")).hasMessageContaining("is not a number");
    assertThatThrownBy(() -> builder.realm(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void seal_negativeLifetime_isACallerBug() {
    TicketOffloadClient client = started(clientTo(server.address()));
    assertThatThrownBy(() -> client.seal(state(1), -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addresses_ipv6Bracketed_isParsed() {
    assertThat(TicketOffloadClientBuilder.parseHostPort("[::1]:50051").getPort()).isEqualTo(50051);
    assertThat(TicketOffloadClientBuilder.parseHostPort("[::1]:50051").getAddress().getHostAddress())
        .isEqualTo("0:0:0:0:0:0:0:1");
  }
}
