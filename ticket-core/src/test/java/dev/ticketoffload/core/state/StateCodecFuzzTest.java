package dev.ticketoffload.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The state codec on arbitrary input: decoding never throws, whatever the bytes; what decodes
 * encodes back to the same bytes (the encoding is canonical); and any state decodes back to itself
 * (decode ∘ encode is the identity). {@code bin/fuzz state-codec SECONDS} fuzzes it.
 */
class StateCodecFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode_neverThrows_andEncodeDecodeIsTheIdentity(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      byte[] bytes = data.consumeRemainingAsBytes();
      if (StateCodec.decode(bytes, 0, bytes.length) instanceof DecodedState.Valid(IkeSaState state)) {
        byte[] again = new byte[StateCodec.encodedLength(state)];
        StateCodec.encode(state, again, 0);
        assertThat(again).isEqualTo(bytes);
      }
      return;
    }
    IkeSaState state = IkeSaState.builder()
        .issuedAtSeconds(data.consumeLong()).expiresAtSeconds(data.consumeLong())
        .spiI(bytes(data, 8)).spiR(bytes(data, 8))
        .authMethod(data.consumeInt(0, 255)).flags(data.consumeBoolean() ? IkeSaState.FLAG_EAP : 0)
        .skD(bytes(data, data.consumeInt(1, IkeSaState.MAX_SK_D_BYTES)))
        .idI(bytes(data, data.consumeInt(1, IkeSaState.MAX_ID_BYTES)))
        .idR(bytes(data, data.consumeInt(1, IkeSaState.MAX_ID_BYTES)))
        .saR(bytes(data, data.consumeInt(1, IkeSaState.MAX_SA_R_BYTES)))
        .ext(bytes(data, data.consumeInt(0, IkeSaState.MAX_EXT_BYTES)))
        .build();
    int offset = 3; // not at 0: offsets must be honoured
    byte[] out = new byte[offset + StateCodec.encodedLength(state) + 5];
    int length = StateCodec.encode(state, out, offset);

    assertThat(length).isEqualTo(StateCodec.encodedLength(state));
    assertThat(StateCodec.decode(out, offset, length)).isEqualTo(new DecodedState.Valid(state));
  }

  /** Exactly {@code n} bytes: what the fuzzer gives, padded with zeros when its input runs out. */
  private static byte[] bytes(FuzzedDataProvider data, int n) {
    return java.util.Arrays.copyOf(data.consumeBytes(n), n);
  }
}
