package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.core.ticket.Outcome;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WireOpenResponse} writes the bytes protobuf's own serialization gives for the same results:
 * every outcome, refs and times at zero and at all 64 bits, and states with every field at its
 * shortest and longest, auth_method 0 and 255, EAP on and off, issued_at 0. (The service's whole
 * answers are compared with protobuf's re-serialization in {@code TicketServiceOutcomesTest}.)
 */
class WireOpenResponseTest {

  private record Result(long ref, Outcome outcome, long expiresAt, StateView state) {}

  private static byte[] filled(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + 7 * i);
    }
    return b;
  }

  private static StateView view(long issuedAt, int authMethod, boolean eap, int skD, int id, int saR, int ext) {
    IkeSaState state = IkeSaState.builder().issuedAtSeconds(issuedAt).expiresAtSeconds(issuedAt + 60)
        .spiI(filled(8, 1)).spiR(filled(8, 2)).authMethod(authMethod).flags(eap ? IkeSaState.FLAG_EAP : 0)
        .skD(filled(skD, 3)).idI(filled(id, 4)).idR(filled(id, 5)).saR(filled(saR, 6)).ext(filled(ext, 7)).build();
    byte[] encoding = new byte[3 + StateCodec.encodedLength(state)];
    StateCodec.encode(state, encoding, 3);
    return new StateView().wrap(encoding, 3);
  }

  /** The old way: a protobuf message built per result, its state through PlaintextStates. */
  private static byte[] protobuf(List<Result> results) {
    OpenResponse.Builder response = OpenResponse.newBuilder();
    for (Result r : results) {
      OpenResult.Builder result = OpenResult.newBuilder().setRef(r.ref()).setOutcome(WireOutcomes.of(r.outcome()))
          .setExpiresAt(r.expiresAt());
      if (r.state() != null) {
        result.setState(PlaintextStates.toProto(r.state())).setIssuedAt(r.state().issuedAtSeconds());
      }
      response.addResults(result);
    }
    return response.build().toByteArray();
  }

  private static byte[] wire(List<Result> results) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (Result r : results) {
      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(WireOpenResponse.resultSize(r.ref(), r.outcome(), r.expiresAt(), r.state()));
      WireOpenResponse.writeResult(out, r.ref(), r.outcome(), r.expiresAt(), r.state());
    }
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void everyOutcomeAndFieldShape_isProtobufsOwnSerialization() throws Exception {
    List<StateView> states = List.of(
        view(1_764_190_000L, 2, true, 32, 20, 40, 5),
        view(0, 0, false, 1, 1, 1, 0), // every length at its minimum, issued_at and auth_method 0
        view(-1L >>> 1, 255, true, IkeSaState.MAX_SK_D_BYTES, IkeSaState.MAX_ID_BYTES, IkeSaState.MAX_SA_R_BYTES,
            IkeSaState.MAX_EXT_BYTES),
        view(1, 1, false, 64, 127, 128, 16_383 >> 4)); // lengths around a varint's one-byte limit
    List<String> failures = new ArrayList<>();
    List<Result> all = new ArrayList<>();
    for (long ref : new long[] {0, 1, 127, 128, -1L}) {
      for (long expiresAt : new long[] {0, 1_764_193_600L, -1L}) {
        for (Outcome outcome : Outcome.values()) {
          List<Result> one = new ArrayList<>();
          if (outcome == Outcome.OK) {
            states.forEach(s -> one.add(new Result(ref, outcome, expiresAt, s)));
          } else {
            one.add(new Result(ref, outcome, expiresAt, null));
          }
          for (Result r : one) {
            byte[] expected = protobuf(List.of(r));
            byte[] got = wire(List.of(r));
            if (!java.util.Arrays.equals(expected, got)) {
              failures.add(r + ": protobuf " + HexFormat.of().formatHex(expected) + ", wire " + HexFormat.of().formatHex(got));
            }
          }
          all.addAll(one);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(wire(all)).isEqualTo(protobuf(all)); // and a whole batch of them
  }
}
