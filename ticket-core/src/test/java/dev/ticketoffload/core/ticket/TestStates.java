package dev.ticketoffload.core.ticket;

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

/** States and key rings shared by the ticket tests. */
final class TestStates {
  private TestStates() {}

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** An ID payload body: ID Type, 3 reserved bytes, data. */
  static byte[] id(int type, String data) {
    byte[] d = data.getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[4 + d.length];
    body[0] = (byte) type;
    System.arraycopy(d, 0, body, 4, d.length);
    return body;
  }

  /** The reference shape: IDs of 21 and 20 bytes, a 32-byte SK_d, a 36-byte SAr: 152 bytes encoded, a 192-byte ticket. */
  static IkeSaState reference(long issuedAt, long lifetimeSeconds) {
    HexFormat hex = HexFormat.of();
    return IkeSaState.builder()
        .issuedAtSeconds(issuedAt).expiresAtSeconds(issuedAt + lifetimeSeconds)
        .spiI(hex.parseHex("a1b2c3d4e5f60718")).spiR(hex.parseHex("0102030405060708"))
        .authMethod(2).flags(IkeSaState.FLAG_EAP)
        .skD(hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
        .idI(id(3, "alice@example.org")) // ID_RFC822_ADDR
        .idR(id(2, "gateway1.example")) // ID_FQDN
        // SA payload body (36 bytes): one IKE proposal, ENCR_AES_GCM_16 (256 bits), PRF_HMAC_SHA2_256, DH 19
        .saR(hex.parseHex("000000240101000303000010" + "0000001400" + "0e0100" + "0300000802000005" + "0000000804000013"))
        .ext(new byte[0])
        .build();
  }

  static MasterSecret master(int id, MasterState state, int fill) {
    return new MasterSecret(id, state, filled(32, fill), Instant.parse("2026-11-01T08:00:00Z"));
  }

  static KeyRing ring(RealmConfig... realms) {
    return new KeyRing(List.of(realms));
  }

  static RealmConfig realm(String name, long epochSeconds, long maxLifetime, MasterSecret... masters) {
    return new RealmConfig(name, epochSeconds, maxLifetime, List.of(masters));
  }

  static KeyRing defaultRing() {
    return ring(realm("default", 3600, 86_400, master(2, MasterState.PRIMARY, 0x22),
        master(1, MasterState.DECRYPT_ONLY, 0x11)));
  }
}
