package dev.ticketoffload.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * State encoding v1 (DESIGN.md, "State encoding v1"): round trips at every size bound, a layout
 * written out by hand, and decoding that never throws whatever the bytes.
 */
class StateCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String U16_FIELD_PROBLEM =
      "a length field is out of range or runs past the end of the state";

  // ---- generators ----------------------------------------------------------------------------

  /** A byte string whose length is often exactly at (or next to) a bound. */
  private static Arbitrary<byte[]> field(int min, int max) {
    Arbitrary<Integer> length = Arbitraries.frequencyOf(List.of(
        Tuple.of(3, Arbitraries.just(min)),
        Tuple.of(3, Arbitraries.just(max)),
        Tuple.of(1, Arbitraries.of(Math.min(min + 1, max), Math.max(max - 1, min))),
        Tuple.of(3, Arbitraries.integers().between(min, max))));
    return length.flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
  }

  @Provide
  Arbitrary<IkeSaState> states() {
    return Builders.withBuilder(IkeSaState::builder)
        .use(Arbitraries.longs()).in(IkeSaState.Builder::issuedAtSeconds)
        .use(Arbitraries.longs()).in(IkeSaState.Builder::expiresAtSeconds)
        .use(field(8, 8)).in(IkeSaState.Builder::spiI)
        .use(field(8, 8)).in(IkeSaState.Builder::spiR)
        .use(Arbitraries.integers().between(0, 255)).in(IkeSaState.Builder::authMethod)
        .use(Arbitraries.of(0, 1)).in(IkeSaState.Builder::flags)
        .use(field(1, IkeSaState.MAX_SK_D_BYTES)).in(IkeSaState.Builder::skD)
        .use(field(1, IkeSaState.MAX_ID_BYTES)).in(IkeSaState.Builder::idI)
        .use(field(1, IkeSaState.MAX_ID_BYTES)).in(IkeSaState.Builder::idR)
        .use(field(1, IkeSaState.MAX_SA_R_BYTES)).in(IkeSaState.Builder::saR)
        .use(field(0, IkeSaState.MAX_EXT_BYTES)).in(IkeSaState.Builder::ext)
        .build(IkeSaState.Builder::build);
  }

  private static byte[] filled(int length, int first) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  private static IkeSaState.Builder validBuilder() {
    return IkeSaState.builder().issuedAtSeconds(1_764_190_000L).expiresAtSeconds(1_764_193_600L)
        .spiI(filled(8, 0x10)).spiR(filled(8, 0x20)).authMethod(2).flags(1)
        .skD(filled(32, 0x40)).idI(filled(12, 0x60)).idR(filled(20, 0x70)).saR(filled(44, 0x80))
        .ext(filled(5, 0x90));
  }

  private static IkeSaState minState() {
    return IkeSaState.builder().issuedAtSeconds(0).expiresAtSeconds(0)
        .spiI(new byte[8]).spiR(new byte[8]).authMethod(0).flags(0)
        .skD(new byte[1]).idI(new byte[1]).idR(new byte[1]).saR(new byte[1]).ext(new byte[0]).build();
  }

  private static IkeSaState maxState() {
    return IkeSaState.builder().issuedAtSeconds(-1).expiresAtSeconds(-1)
        .spiI(filled(8, 0xF8)).spiR(filled(8, 0xF0)).authMethod(255).flags(1)
        .skD(filled(64, 1)).idI(filled(1024, 2)).idR(filled(1024, 3)).saR(filled(1024, 4))
        .ext(filled(1024, 5)).build();
  }

  private static byte[] encode(IkeSaState s) {
    byte[] out = new byte[StateCodec.encodedLength(s)];
    assertThat(StateCodec.encode(s, out, 0)).isEqualTo(out.length);
    return out;
  }

  private static DecodedState decode(byte[] in) {
    return StateCodec.decode(in, 0, in.length);
  }

  /**
   * An independent writer of state encoding v1 whose declared lengths may differ from the bytes that
   * follow them, to build malformed states.
   */
  private static final class Raw {
    int flags = 1;
    int skDLength = 16;
    int skDBytes = 16;
    int idILength = 10;
    int idIBytes = 10;
    int idRLength = 11;
    int idRBytes = 11;
    int saRLength = 40;
    int saRBytes = 40;
    int extLength = 3;
    int extBytes = 3;
    int trailing = 0;

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(HEX.parseHex("0000000069275730" + "0000000069276540")); // issued, expires
      out.writeBytes(filled(8, 0x10));
      out.writeBytes(filled(8, 0x20));
      out.write(2);
      out.write(flags);
      out.write(skDLength);
      out.writeBytes(filled(skDBytes, 0x40));
      u16(out, idILength, idIBytes, 0x60);
      u16(out, idRLength, idRBytes, 0x70);
      u16(out, saRLength, saRBytes, 0x80);
      u16(out, extLength, extBytes, 0x90);
      out.writeBytes(new byte[trailing]);
      return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int length, int bytes, int first) {
      out.write(length >>> 8);
      out.write(length);
      out.writeBytes(filled(bytes, first));
    }

    Raw with(UnaryOperator<Raw> change) {
      return change.apply(this);
    }
  }

  private static String malformedReason(byte[] in) {
    DecodedState d = decode(in);
    assertThat(d).isInstanceOf(DecodedState.Malformed.class);
    String reason = ((DecodedState.Malformed) d).reason();
    assertThat(reason).isNotBlank();
    return reason;
  }

  // ---- layout and bounds ---------------------------------------------------------------------

  @Example
  void encode_smallState_givesTheDesignLayoutByteForByte() {
    IkeSaState s = IkeSaState.builder()
        .issuedAtSeconds(0x0102030405060708L).expiresAtSeconds(0x1112131415161718L)
        .spiI(HEX.parseHex("2122232425262728")).spiR(HEX.parseHex("3132333435363738"))
        .authMethod(14).flags(1)
        .skD(HEX.parseHex("aa")).idI(HEX.parseHex("bb")).idR(HEX.parseHex("cc")).saR(HEX.parseHex("dd"))
        .build();
    assertThat(HEX.formatHex(encode(s))).isEqualTo(
        "0102030405060708" + "1112131415161718" + "2122232425262728" + "3132333435363738"
            + "0e" + "01" + "01aa" + "0001bb" + "0001cc" + "0001dd" + "0000");
  }

  @Example
  void encode_typicalState_matchesIndependentWriter() {
    IkeSaState s = validBuilder().issuedAtSeconds(0x69275730L).expiresAtSeconds(0x69276540L)
        .skD(filled(16, 0x40)).idI(filled(10, 0x60)).idR(filled(11, 0x70)).saR(filled(40, 0x80))
        .ext(filled(3, 0x90)).build();
    assertThat(HEX.formatHex(encode(s))).isEqualTo(HEX.formatHex(new Raw().bytes()));
    assertThat(decode(new Raw().bytes())).isEqualTo(new DecodedState.Valid(s));
  }

  @Example
  void encodedLength_allMinAndAllMaxStates_reachTheBounds() {
    assertThat(StateCodec.MIN_ENCODED_BYTES).isEqualTo(47);
    assertThat(StateCodec.MAX_ENCODED_BYTES).isEqualTo(4203);
    IkeSaState min = minState();
    IkeSaState max = maxState();
    assertThat(StateCodec.encodedLength(min)).isEqualTo(StateCodec.MIN_ENCODED_BYTES);
    assertThat(StateCodec.encodedLength(max)).isEqualTo(StateCodec.MAX_ENCODED_BYTES);
    assertThat(decode(encode(min))).isEqualTo(new DecodedState.Valid(min));
    assertThat(decode(encode(max))).isEqualTo(new DecodedState.Valid(max));
  }

  @Property(tries = 300)
  void encodeDecode_randomStateAtSizeBounds_roundTrips(@ForAll("states") IkeSaState s,
      @ForAll @IntRange(min = 0, max = 40) int offset, @ForAll @IntRange(min = 0, max = 40) int slack) {
    int length = StateCodec.encodedLength(s);
    assertThat(length).isBetween(StateCodec.MIN_ENCODED_BYTES, StateCodec.MAX_ENCODED_BYTES);
    byte[] buffer = new byte[offset + length + slack];
    Arrays.fill(buffer, (byte) 0xEE);
    assertThat(StateCodec.encode(s, buffer, offset)).isEqualTo(length);
    // nothing written outside [offset, offset + length)
    for (int i = 0; i < offset; i++) {
      assertThat(buffer[i]).isEqualTo((byte) 0xEE);
    }
    for (int i = offset + length; i < buffer.length; i++) {
      assertThat(buffer[i]).isEqualTo((byte) 0xEE);
    }
    DecodedState decoded = StateCodec.decode(buffer, offset, length);
    assertThat(decoded).isEqualTo(new DecodedState.Valid(s));
    IkeSaState back = ((DecodedState.Valid) decoded).state();
    assertThat(back.skDSecret()).isEqualTo(s.skDSecret());
    assertThat(back.ext()).isEqualTo(s.ext());
    assertThat(StateCodec.expiresAtSeconds(buffer, offset)).isEqualTo(s.expiresAtSeconds());
  }

  // ---- decoding garbage never throws -----------------------------------------------------------

  @Property(tries = 400)
  void decode_arbitraryBytes_neverThrowsAndValidOnlyWhenCanonical(
      @ForAll @Size(max = 5000) byte[] in) {
    DecodedState d = decode(in);
    assertDecodedSanely(in, 0, in.length, d);
  }

  @Property(tries = 300)
  void decode_arbitraryRange_neverThrows(@ForAll @Size(max = 200) byte[] in,
      @ForAll @IntRange(min = -5, max = 210) int offset, @ForAll @IntRange(min = -5, max = 210) int length) {
    DecodedState d = StateCodec.decode(in, offset, length);
    assertThat(d).isNotNull();
    if (offset < 0 || length < 0 || (long) offset + length > in.length) {
      assertThat(d).isEqualTo(new DecodedState.Malformed("state range out of bounds"));
    } else {
      assertDecodedSanely(in, offset, length, d);
    }
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    // each: {kind, position, value}; kind 0 = set byte, 1 = truncate, 2 = insert byte, 3 = delete byte
    Arbitrary<int[]> one = Arbitraries.integers().between(0, 3).flatMap(kind ->
        Arbitraries.integers().between(0, 5000).flatMap(position ->
            Arbitraries.integers().between(0, 255).map(value -> new int[] {kind, position, value})));
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 400)
  void decode_mutatedValidEncoding_neverThrowsAndValidOnlyWhenCanonical(
      @ForAll("states") IkeSaState s, @ForAll("mutations") List<int[]> mutations) {
    byte[] in = encode(s);
    for (int[] m : mutations) {
      in = mutate(in, m[0], m[1], m[2]);
    }
    assertDecodedSanely(in, 0, in.length, decode(in));
  }

  private static byte[] mutate(byte[] in, int kind, int position, int value) {
    if (in.length == 0) {
      return kind == 2 ? new byte[] {(byte) value} : in;
    }
    int p = position % in.length;
    switch (kind) {
      case 0 -> {
        byte[] out = in.clone();
        out[p] = (byte) value;
        return out;
      }
      case 1 -> {
        return Arrays.copyOf(in, p);
      }
      case 2 -> {
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, p);
        out[p] = (byte) value;
        System.arraycopy(in, p, out, p + 1, in.length - p);
        return out;
      }
      default -> {
        byte[] out = new byte[in.length - 1];
        System.arraycopy(in, 0, out, 0, p);
        System.arraycopy(in, p + 1, out, p, in.length - p - 1);
        return out;
      }
    }
  }

  /** Valid only when re-encoding gives back exactly the decoded bytes; else a non-blank reason. */
  private static void assertDecodedSanely(byte[] in, int offset, int length, DecodedState d) {
    assertThat(d).isNotNull();
    switch (d) {
      case DecodedState.Valid v -> {
        byte[] again = encode(v.state());
        assertThat(again).isEqualTo(Arrays.copyOfRange(in, offset, offset + length));
        assertThat(StateCodec.check(in, offset, length)).isNull();
      }
      case DecodedState.Malformed m -> {
        assertThat(m.reason()).isNotBlank();
        if (length >= StateCodec.MIN_ENCODED_BYTES) {
          assertThat(StateCodec.check(in, offset, length)).isEqualTo(m.reason());
        }
      }
    }
  }

  // ---- each malformation -----------------------------------------------------------------------

  @Example
  void decode_rawWriterWithValidLengths_isValid() {
    assertThat(decode(new Raw().bytes())).isInstanceOf(DecodedState.Valid.class);
    // the bounds themselves are accepted
    assertThat(decode(new Raw().with(r -> { r.skDLength = r.skDBytes = 1; return r; }).bytes()))
        .isInstanceOf(DecodedState.Valid.class);
    assertThat(decode(new Raw().with(r -> { r.skDLength = r.skDBytes = 64; return r; }).bytes()))
        .isInstanceOf(DecodedState.Valid.class);
    assertThat(decode(new Raw().with(r -> {
      r.idILength = r.idIBytes = 1024;
      r.idRLength = r.idRBytes = 1;
      r.saRLength = r.saRBytes = 1024;
      r.extLength = r.extBytes = 1024;
      return r;
    }).bytes())).isInstanceOf(DecodedState.Valid.class);
    assertThat(decode(new Raw().with(r -> { r.extLength = r.extBytes = 0; r.flags = 0; return r; }).bytes()))
        .isInstanceOf(DecodedState.Valid.class);
  }

  @Example
  void decode_skDLengthOutOfRange_isMalformed() {
    List<String> failures = new ArrayList<>();
    for (int length : new int[] {0, 65, 200, 255}) {
      byte[] in = new Raw().with(r -> { r.skDLength = r.skDBytes = length; return r; }).bytes();
      String reason = malformedReason(in);
      if (!reason.equals("sk_d_len out of range 1..64")) {
        failures.add("sk_d_len " + length + ": " + reason);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Example
  void decode_u16LengthOutOfRange_isMalformed() {
    List<Raw> cases = List.of(
        new Raw().with(r -> { r.idILength = r.idIBytes = 0; return r; }),
        new Raw().with(r -> { r.idILength = r.idIBytes = 1025; return r; }),
        new Raw().with(r -> { r.idRLength = r.idRBytes = 0; return r; }),
        new Raw().with(r -> { r.idRLength = r.idRBytes = 1025; return r; }),
        new Raw().with(r -> { r.saRLength = r.saRBytes = 0; return r; }),
        new Raw().with(r -> { r.saRLength = r.saRBytes = 1025; return r; }),
        new Raw().with(r -> { r.extLength = r.extBytes = 1025; return r; }),
        new Raw().with(r -> { r.extLength = r.extBytes = 0xFFFF; return r; }));
    for (Raw r : cases) {
      assertThat(malformedReason(r.bytes())).isEqualTo(U16_FIELD_PROBLEM);
    }
  }

  @Example
  void decode_fieldRunningPastTheEnd_isMalformed() {
    // Each declared length is in range but longer than what follows it.
    assertThat(malformedReason(new Raw().with(r -> {
      r.skDLength = 64; r.skDBytes = 20; r.idIBytes = r.idRBytes = r.saRBytes = r.extBytes = 0;
      r.idILength = r.idRLength = r.saRLength = r.extLength = 0; return r;
    }).bytes())).isEqualTo(U16_FIELD_PROBLEM);
    assertThat(malformedReason(new Raw().with(r -> {
      r.idILength = 1000; r.idIBytes = 100; r.idRBytes = r.saRBytes = r.extBytes = 0;
      r.idRLength = r.saRLength = r.extLength = 0; return r;
    }).bytes())).isEqualTo(U16_FIELD_PROBLEM);
    assertThat(malformedReason(new Raw().with(r -> { r.extBytes = 2; return r; }).bytes()))
        .isEqualTo(U16_FIELD_PROBLEM);
    assertThat(malformedReason(new Raw().with(r -> {
      r.saRLength = 41; r.extLength = 0; r.extBytes = 0; return r; // sa_r eats the ext length field
    }).bytes())).isEqualTo(U16_FIELD_PROBLEM);
  }

  @Example
  void decode_everyTruncation_isMalformed() {
    byte[] full = new Raw().bytes();
    List<Integer> notMalformed = new ArrayList<>();
    for (int n = 0; n < full.length; n++) {
      if (!(decode(Arrays.copyOf(full, n)) instanceof DecodedState.Malformed m) || m.reason().isBlank()) {
        notMalformed.add(n);
      }
    }
    assertThat(notMalformed).isEmpty();
    assertThat(malformedReason(Arrays.copyOf(full, StateCodec.MIN_ENCODED_BYTES - 1)))
        .isEqualTo("state shorter than the minimum of 47 bytes");
  }

  @Example
  void decode_trailingBytes_isMalformed() {
    for (int trailing : new int[] {1, 2, 100}) {
      byte[] in = new Raw().with(r -> { r.trailing = trailing; return r; }).bytes();
      assertThat(malformedReason(in)).isEqualTo("trailing bytes after ext");
    }
    byte[] max = encode(maxState());
    assertThat(malformedReason(Arrays.copyOf(max, max.length + 1))).isEqualTo("trailing bytes after ext");
  }

  @Example
  void decode_reservedFlagBits_isMalformed() {
    for (int flags : new int[] {0x02, 0x03, 0x80, 0xFE, 0xFF}) {
      byte[] in = new Raw().with(r -> { r.flags = flags; return r; }).bytes();
      assertThat(malformedReason(in)).as("flags 0x%02x", flags).isEqualTo("state flags has reserved bits set");
    }
  }

  // ---- the builder -----------------------------------------------------------------------------

  @Example
  void build_outOfBoundField_isRefusedNamingTheField() {
    record Case(String field, UnaryOperator<IkeSaState.Builder> change, String message) {}
    List<Case> cases = List.of(
        new Case("spi_i", b -> b.spiI(new byte[7]), "spi_i must be 8..8 bytes, got 7"),
        new Case("spi_i", b -> b.spiI(new byte[9]), "spi_i must be 8..8 bytes, got 9"),
        new Case("spi_i", b -> b.spiI(null), "spi_i is missing"),
        new Case("spi_r", b -> b.spiR(new byte[0]), "spi_r must be 8..8 bytes, got 0"),
        new Case("auth_method", b -> b.authMethod(-1), "auth_method must be 0..255, got -1"),
        new Case("auth_method", b -> b.authMethod(256), "auth_method must be 0..255, got 256"),
        new Case("flags", b -> b.flags(2), "flags: only bit 0 (EAP) may be set, got 0x2"),
        new Case("flags", b -> b.flags(-1), "flags: only bit 0 (EAP) may be set, got 0xffffffff"),
        new Case("sk_d", b -> b.skD(new byte[0]), "sk_d must be 1..64 bytes, got 0"),
        new Case("sk_d", b -> b.skD(new byte[65]), "sk_d must be 1..64 bytes, got 65"),
        new Case("sk_d", b -> b.skD(null), "sk_d is missing"),
        new Case("id_i", b -> b.idI(new byte[0]), "id_i must be 1..1024 bytes, got 0"),
        new Case("id_i", b -> b.idI(new byte[1025]), "id_i must be 1..1024 bytes, got 1025"),
        new Case("id_r", b -> b.idR(new byte[0]), "id_r must be 1..1024 bytes, got 0"),
        new Case("id_r", b -> b.idR(new byte[1025]), "id_r must be 1..1024 bytes, got 1025"),
        new Case("sa_r", b -> b.saR(new byte[0]), "sa_r must be 1..1024 bytes, got 0"),
        new Case("sa_r", b -> b.saR(new byte[1025]), "sa_r must be 1..1024 bytes, got 1025"),
        new Case("ext", b -> b.ext(new byte[1025]), "ext must be 0..1024 bytes, got 1025"));
    for (Case c : cases) {
      assertThatThrownBy(() -> c.change().apply(validBuilder()).build())
          .as(c.message())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(c.message());
    }
    // and the valid builder itself builds, with ext optional
    assertThat(validBuilder().build().ext()).hasSize(5);
    assertThat(validBuilder().ext(null).build().ext()).isEmpty();
  }

  @Example
  void build_copiesArrays_soLaterChangesDoNotLeakIn() {
    byte[] skD = filled(32, 0x40);
    IkeSaState s = validBuilder().skD(skD).build();
    skD[0] = 0;
    assertThat(s.skDSecret()[0]).isEqualTo((byte) 0x40);
    s.skDSecret()[1] = 0;
    assertThat(s.skDSecret()[1]).isEqualTo((byte) 0x41);
  }

  // ---- toString --------------------------------------------------------------------------------

  @Property(tries = 200)
  void toString_randomState_doesNotDependOnSkDOrExtContent(@ForAll("states") IkeSaState s) {
    // Any content of sk_d and ext must print the same: then neither can show, whatever its bytes.
    byte[] otherSkD = s.skDSecret();
    byte[] otherExt = s.ext();
    for (int i = 0; i < otherSkD.length; i++) {
      otherSkD[i] ^= (byte) (0x5A + i);
    }
    for (int i = 0; i < otherExt.length; i++) {
      otherExt[i] ^= (byte) (0xA5 + i);
    }
    IkeSaState other = s.toBuilder().skD(otherSkD).ext(otherExt).build();
    assertThat(other).isNotEqualTo(s);
    assertThat(other.toString()).isEqualTo(s.toString());
    assertThat(s.toString()).contains("sk_d=(" + otherSkD.length + " bytes, hidden)")
        .contains("ext=" + otherExt.length + " bytes");
  }

  @Example
  void toString_knownState_showsSpisButNotSkDOrExt() {
    IkeSaState s = validBuilder().skD(HEX.parseHex("deadbeefcafebabe0123456789abcdef"))
        .ext(HEX.parseHex("5ec2e75ec2e7")).build();
    String text = s.toString();
    assertThat(text).contains("spi_i=1011121314151617").contains("spi_r=2021222324252627");
    assertThat(text.toLowerCase()).doesNotContain("deadbeef").doesNotContain("cafebabe")
        .doesNotContain("5ec2e7");
    assertThat(text).contains("ext=6 bytes").contains("sk_d=(16 bytes, hidden)");
  }
}
