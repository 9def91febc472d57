package dev.ticketoffload.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.openssl.BackendRefusedException;
import dev.ticketoffload.server.grpc.PlaintextStates;
import java.time.InstantSource;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the server's time for one 256-ticket Open batch goes, per ticket, without the transport:
 * {@code protobuf} is the server's share of the wire format (parse the request, build and
 * serialize the response with each state, built from the plaintext by the service's own
 * {@code PlaintextStates}); {@code crypto} is the ticket-core
 * work the handler runs (copy each ticket out, header and key checks, AES-GCM open, state decode,
 * expiry), with peeks so the replay guard is left out; the replay guard is
 * {@link ReplayGuardBenchmark}; the transport is what {@link ServiceBenchmark}'s echo costs beyond
 * its protobuf.
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar OpenBatchCostBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class OpenBatchCostBenchmark {

  static final int BATCH = 256;

  @Param({"openssl"}) // what auto picks where libcrypto 3 is usable, as here
  public String backend;

  private KeySchedule keys;
  private TicketOpener opener;
  private final OpenBatch batch = new OpenBatch(BATCH);
  private byte[] requestBytes;
  private OpenRequest request;
  private IkeSaState coreState;
  // An opened ticket's state encoding, as the service builds each OK result's wire state from it.
  private byte[] plaintext;
  private final StateView view = new StateView();

  @Setup
  public void setUp() throws BackendRefusedException {
    InstantSource clock = InstantSource.system();
    keys = new KeySchedule(BenchmarkTickets.backend(backend), BenchmarkTickets.keyRing());
    TicketSealer sealer = new TicketSealer(keys, clock, new IvSource(), 2048);
    opener = new TicketOpener(keys, 2048, 0);
    coreState = ServiceFixtures.coreState(clock.millis() / 1000);
    plaintext = new byte[StateCodec.encodedLength(coreState)];
    StateCodec.encode(coreState, plaintext, 0);
    byte[][] tickets = sealer.sealAll(BenchmarkTickets.REALM, Collections.nCopies(BATCH, coreState));
    OpenRequest.Builder r = OpenRequest.newBuilder().setRealm(BenchmarkTickets.REALM);
    for (int i = 0; i < BATCH; i++) {
      r.addItems(OpenItem.newBuilder().setRef(i).setTicket(UnsafeByteOperations.unsafeWrap(tickets[i])).setPeek(true));
    }
    request = r.build();
    requestBytes = request.toByteArray();
  }

  @TearDown
  public void close() {
    keys.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] protobuf() throws InvalidProtocolBufferException {
    OpenRequest parsed = OpenRequest.parseFrom(requestBytes);
    OpenResponse.Builder response = OpenResponse.newBuilder();
    for (int i = 0; i < parsed.getItemsCount(); i++) {
      response.addResults(OpenResult.newBuilder().setRef(parsed.getItems(i).getRef())
          .setOutcome(dev.ticketoffload.api.v1.Outcome.OK)
          .setState(PlaintextStates.toProto(view.wrap(plaintext, 0)))
          .setExpiresAt(coreState.expiresAtSeconds()).setIssuedAt(coreState.issuedAtSeconds()));
    }
    return response.build().toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int crypto() {
    try {
      for (int i = 0; i < BATCH; i++) {
        ByteString ticket = request.getItems(i).getTicket();
        batch.add(ticket.toByteArray(), false);
      }
      opener.openAll(BenchmarkTickets.REALM, batch, InstantSource.system().millis() / 1000,
          dev.ticketoffload.core.ticket.SingleUseStore.NONE);
      int ok = 0;
      for (int i = 0; i < BATCH; i++) {
        if (batch.outcome(i) == Outcome.OK) {
          ok += batch.state(i).authMethod();
        }
      }
      return ok;
    } finally {
      batch.clear();
    }
  }
}
