package dev.ticketoffload.bench;

import com.google.protobuf.UnsafeByteOperations;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.IkeSaState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The state shape, key ring and executors the service benchmarks share. */
final class ServiceFixtures {

  static final String REALM = "default";

  private ServiceFixtures() {}

  /** The reference shape of the published vectors (a 192-byte ticket), issued now. */
  static IkeSaState coreState(long nowSeconds) {
    HexFormat hex = HexFormat.of();
    return IkeSaState.builder()
        .issuedAtSeconds(nowSeconds).expiresAtSeconds(nowSeconds + 3600)
        .spiI(hex.parseHex("a1b2c3d4e5f60718")).spiR(hex.parseHex("0102030405060708"))
        .authMethod(2).flags(IkeSaState.FLAG_EAP)
        .skD(hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
        .idI(id(3, "alice@example.org"))
        .idR(id(2, "gateway1.example"))
        .saR(hex.parseHex("000000240101000303000010" + "0000001400" + "0e0100" + "0300000802000005" + "0000000804000013"))
        .ext(new byte[0])
        .build();
  }

  /** The same state on the wire, as the service returns it. */
  static dev.ticketoffload.api.v1.IkeSaState protoState(IkeSaState s) {
    return dev.ticketoffload.api.v1.IkeSaState.newBuilder()
        .setSpiI(UnsafeByteOperations.unsafeWrap(s.spiI()))
        .setSpiR(UnsafeByteOperations.unsafeWrap(s.spiR()))
        .setAuthMethod(s.authMethod())
        .setEap(s.eapUsed())
        .setSkD(UnsafeByteOperations.unsafeWrap(s.skDSecret()))
        .setIdI(UnsafeByteOperations.unsafeWrap(s.idI()))
        .setIdR(UnsafeByteOperations.unsafeWrap(s.idR()))
        .setSaR(UnsafeByteOperations.unsafeWrap(s.saR()))
        .setExt(UnsafeByteOperations.unsafeWrap(s.ext()))
        .build();
  }

  static KeyRing keyRing() {
    return new KeyRing(List.of(new RealmConfig(REALM, 3600, 86_400, List.of(
        new MasterSecret(1, MasterState.PRIMARY, filled(32, 0x11), Instant.parse("2026-11-01T08:00:00Z"))))));
  }

  /** {@code pool}: a fixed pool of one thread per CPU, as {@code ticketd serve} runs; {@code direct}: null. */
  static ExecutorService executor(String kind) {
    return switch (kind) {
      case "pool" -> Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "bench-server");
        t.setDaemon(true);
        return t;
      });
      case "direct" -> null;
      default -> throw new IllegalArgumentException("executor is pool or direct, got " + kind);
    };
  }

  private static byte[] id(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[4 + d.length];
    body[0] = (byte) type;
    System.arraycopy(d, 0, body, 4, d.length);
    return body;
  }

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
