package dev.ticketoffload.bench;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.openssl.BackendRefusedException;
import dev.ticketoffload.openssl.BackendSelector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The states, key ring and backends the benchmarks share. */
final class BenchmarkTickets {

  static final String REALM = "default";
  static final long NOW_SECONDS = 1_764_190_000L;
  static final int MAX_TICKET_BYTES = 2048;

  private BenchmarkTickets() {}

  /** {@code reference}: 152-byte state, 192-byte ticket. {@code large}: about 1.5 KB. */
  static IkeSaState state(String shape) {
    HexFormat hex = HexFormat.of();
    IkeSaState.Builder reference = IkeSaState.builder()
        .issuedAtSeconds(NOW_SECONDS).expiresAtSeconds(NOW_SECONDS + 3600)
        .spiI(hex.parseHex("a1b2c3d4e5f60718")).spiR(hex.parseHex("0102030405060708"))
        .authMethod(2).flags(IkeSaState.FLAG_EAP)
        .skD(hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
        .idI(id(3, "alice@example.org")) // 21 bytes
        .idR(id(2, "gateway1.example")) // 20 bytes
        .saR(hex.parseHex("000000240101000303000010" + "0000001400" + "0e0100" + "0300000802000005" + "0000000804000013"))
        .ext(new byte[0]);
    return switch (shape) {
      case "reference" -> reference.build();
      case "large" -> reference.ext(filled(1024, 0x5e)).saR(filled(300, 0x03)).build();
      default -> throw new IllegalArgumentException("unknown ticket shape " + shape);
    };
  }

  static KeyRing keyRing() {
    return new KeyRing(List.of(new RealmConfig(REALM, 3600, 86_400, List.of(
        new MasterSecret(1, MasterState.PRIMARY, filled(32, 0x11), Instant.parse("2026-11-01T08:00:00Z"))))));
  }

  /** The backend by name; {@code openssl} fails rather than fall back, so a figure is never mislabelled. */
  static AeadBackend backend(String name) throws BackendRefusedException {
    return BackendSelector.select(name).backend();
  }

  private static byte[] id(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[4 + d.length];
    body[0] = (byte) type;
    System.arraycopy(d, 0, body, 4, d.length);
    return body;
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
