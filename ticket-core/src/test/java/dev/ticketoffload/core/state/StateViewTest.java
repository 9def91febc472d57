package dev.ticketoffload.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateViewTest {

  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void wrap_randomStatesAtAnOffset_givesEveryFieldAsDecoded() {
    Random r = new Random(11);
    StateView view = new StateView();
    for (int round = 0; round < 500; round++) {
      IkeSaState s = IkeSaState.builder()
          .issuedAtSeconds(r.nextLong()).expiresAtSeconds(r.nextLong())
          .spiI(random(r, 8)).spiR(random(r, 8)).authMethod(r.nextInt(256)).flags(r.nextInt(2))
          .skD(random(r, 1 + r.nextInt(64))).idI(random(r, 1 + r.nextInt(1024)))
          .idR(random(r, 1 + r.nextInt(1024))).saR(random(r, 1 + r.nextInt(1024)))
          .ext(random(r, r.nextInt(1025))).build();
      int at = r.nextInt(5);
      byte[] buffer = new byte[at + StateCodec.encodedLength(s) + 3];
      StateCodec.encode(s, buffer, at);
      view.wrap(buffer, at);
      assertThat(view.issuedAtSeconds()).isEqualTo(s.issuedAtSeconds());
      assertThat(view.expiresAtSeconds()).isEqualTo(s.expiresAtSeconds());
      assertThat(view.authMethod()).isEqualTo(s.authMethod());
      assertThat(view.flags()).isEqualTo(s.flags());
      assertThat(field(view, StateView.Field.SPI_I)).isEqualTo(s.spiI());
      assertThat(field(view, StateView.Field.SPI_R)).isEqualTo(s.spiR());
      assertThat(field(view, StateView.Field.SK_D)).isEqualTo(s.skDSecret());
      assertThat(field(view, StateView.Field.ID_I)).isEqualTo(s.idI());
      assertThat(field(view, StateView.Field.ID_R)).isEqualTo(s.idR());
      assertThat(field(view, StateView.Field.SA_R)).isEqualTo(s.saR());
      assertThat(field(view, StateView.Field.EXT)).isEqualTo(s.ext());
    }
  }

  private static byte[] field(StateView v, StateView.Field f) {
    return Arrays.copyOfRange(v.buffer(), v.offset(f), v.offset(f) + v.length(f));
  }
}
