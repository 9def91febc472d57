package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.state.DecodedState;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.state.StateCodec;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.server.testing.ReferenceStates;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The direct plaintext-to-wire path gives exactly what decoding and the reference mapping (ReferenceStates) give. */
class PlaintextStatesTest {

  private static byte[] bytes(SplittableRandom random, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static IkeSaState state(SplittableRandom random, int skD, int idI, int idR, int saR, int ext) {
    long issued = random.nextLong(1L << 40);
    return IkeSaState.builder().issuedAtSeconds(issued).expiresAtSeconds(issued + 1 + random.nextInt(86_400))
        .spiI(bytes(random, 8)).spiR(bytes(random, 8)).authMethod(random.nextInt(256))
        .flags(random.nextBoolean() ? IkeSaState.FLAG_EAP : 0)
        .skD(bytes(random, skD)).idI(bytes(random, idI)).idR(bytes(random, idR)).saR(bytes(random, saR))
        .ext(bytes(random, ext)).build();
  }

  @Test
  void toProto_everyLengthExtremeAndRandomStates_matchesDecodeThenReferenceStates() {
    SplittableRandom random = new SplittableRandom(7);
    List<IkeSaState> states = new ArrayList<>();
    states.add(state(random, 1, 1, 1, 1, 0));
    states.add(state(random, 64, 1024, 1024, 1024, 1024));
    for (int i = 0; i < 500; i++) {
      states.add(state(random, 1 + random.nextInt(64), 1 + random.nextInt(1024), 1 + random.nextInt(1024),
          1 + random.nextInt(1024), random.nextInt(1025)));
    }
    List<String> failures = new ArrayList<>();
    StateView view = new StateView();
    for (int n = 0; n < states.size(); n++) {
      IkeSaState s = states.get(n);
      int offset = 1 + n % 13; // not at the start of the array, as in an OpenBatch's scratch space
      byte[] buffer = new byte[offset + StateCodec.encodedLength(s) + 5];
      StateCodec.encode(s, buffer, offset);
      IkeSaState decoded = ((DecodedState.Valid) StateCodec.decode(buffer, offset, StateCodec.encodedLength(s))).state();
      if (!PlaintextStates.toProto(view.wrap(buffer, offset)).equals(ReferenceStates.toProto(decoded))) {
        failures.add("state " + n + ": wire state differs");
      }
    }
    assertThat(failures).isEmpty();
  }
}
