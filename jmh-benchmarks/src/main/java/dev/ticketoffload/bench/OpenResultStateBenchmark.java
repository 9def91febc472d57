package dev.ticketoffload.bench;

import static dev.ticketoffload.core.state.IkeSaState.FLAG_EAP;

import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.core.state.DecodedState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.server.grpc.PlaintextStates;
import dev.ticketoffload.server.testing.ReferenceStates;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire state an Open result carries, made from an opened ticket's plaintext: through
 * ticket-core's IkeSaState and the field-by-field {@link ReferenceStates} (how OpenBatchHandler did
 * it) against {@link PlaintextStates} (how it does it now).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar OpenResultStateBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class OpenResultStateBenchmark {

  private byte[] plaintext;
  private int offset;
  private int length;

  @Setup
  public void encode() {
    HexFormat hex = HexFormat.of();
    dev.ticketoffload.core.state.IkeSaState state = dev.ticketoffload.core.state.IkeSaState.builder()
        .issuedAtSeconds(1_764_190_000L).expiresAtSeconds(1_764_193_600L)
        .spiI(hex.parseHex("a1b2c3d4e5f60718")).spiR(hex.parseHex("0102030405060708"))
        .authMethod(2).flags(FLAG_EAP)
        .skD(new byte[32]).idI(new byte[21]).idR(new byte[20]).saR(new byte[40]).ext(new byte[0])
        .build();
    offset = 24; // where a state sits after a ticket header in an OpenBatch's scratch space
    length = StateCodec.encodedLength(state);
    plaintext = new byte[offset + length];
    StateCodec.encode(state, plaintext, offset);
  }

  private final StateView view = new StateView();

  @Benchmark
  public IkeSaState viaCoreState() {
    var decoded = ((DecodedState.Valid) StateCodec.decode(plaintext, offset, length)).state();
    return ReferenceStates.toProto(decoded);
  }

  @Benchmark
  public IkeSaState fromPlaintext() {
    return PlaintextStates.toProto(view.wrap(plaintext, offset));
  }
}
