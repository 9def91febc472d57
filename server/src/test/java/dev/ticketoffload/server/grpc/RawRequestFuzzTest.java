package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.replay.WhenFull;
import dev.ticketoffload.server.testing.MutableClock;
import dev.ticketoffload.server.testing.RawCalls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Whole requests as raw protobuf bytes into a real TicketServer (in-process transport, the service's
 * own interceptors, admission and crypto): every call ends with a call-level status the README lists
 * or a response with one outcome per item, never INTERNAL or UNKNOWN. The key ring's secret and the
 * clock are fixed, so the tickets in the corpus stay valid across runs.
 * {@code bin/fuzz raw-requests SECONDS} fuzzes it.
 */
class RawRequestFuzzTest {

  static final long NOW = 1_764_190_000L;
  private static final Set<Status.Code> CALL_LEVEL = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.FAILED_PRECONDITION);
  private static final String[] METHODS = {"Seal", "Open"};
  private static final ManagedChannel CHANNEL = startServer();

  @FuzzTest(maxDuration = "30s")
  void anyRequestBytes_getAStatusOrOneOutcomePerItem_neverInternal(FuzzedDataProvider data) throws IOException {
    String method = METHODS[data.consumeInt(0, METHODS.length - 1)];
    byte[] request = data.consumeRemainingAsBytes();
    byte[] response;
    try {
      response = RawCalls.unary(CHANNEL, method, request);
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).as(String.valueOf(e.getStatus())).isIn(CALL_LEVEL);
      return;
    }
    if (method.equals("Open")) {
      List<OpenResult> results = OpenResponse.parseFrom(response).getResultsList();
      assertThat(results).isNotEmpty().extracting(OpenResult::getOutcome).doesNotContain(Outcome.OUTCOME_UNSPECIFIED);
    } else {
      assertThat(SealResponse.parseFrom(response).getResultsList()).isNotEmpty();
    }
  }

  /** A fixed key ring: master 1 of realm default with secret 0x2a..., realm other with 0x2b.... */
  static KeyRing fixedRing() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    Arrays.fill(a, (byte) 0x2a);
    Arrays.fill(b, (byte) 0x2b);
    Instant created = Instant.parse("2026-11-26T00:00:00Z");
    return new KeyRing(List.of(
        new RealmConfig("default", 3600, 86_400, List.of(new MasterSecret(1, MasterState.PRIMARY, a, created))),
        new RealmConfig("other", 3600, 86_400, List.of(new MasterSecret(1, MasterState.PRIMARY, b, created)))));
  }

  private static ManagedChannel startServer() {
    String name = "raw-request-fuzz";
    ServiceLimits limits = ServiceLimits.defaults().withMaxItemsPerRequest(64).withWorkInFlight(1024, 0.5)
        .withReplayGuard(1_000_000, WhenFull.EVICT_OLDEST);
    try {
      TicketServer server = new TicketServer(InProcessServerBuilder.forName(name), limits,
          new ServiceMetrics(new SimpleMeterRegistry()), null, List.of()).start();
      server.ready(TicketCrypto.assemble(BackendSelector.select("jdk"), fixedRing(), limits, new MutableClock(NOW)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (dev.ticketoffload.openssl.BackendRefusedException e) {
      throw new IllegalStateException("the jdk backend is always there", e);
    }
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }
}
