package dev.ticketoffload.core.aead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Project Wycheproof's aes_gcm_test.json (see wycheproof/NOTICE.md), read from the test classpath. */
public final class WycheproofAesGcm {

  /** One test case; {@code valid} is Wycheproof's "valid" (it uses no "acceptable" here). */
  public record Case(int tcId, String comment, byte[] key, byte[] iv, byte[] aad, byte[] msg,
      byte[] ct, byte[] tag, boolean valid) {}

  /** A group of cases with the same sizes. */
  public record Group(int keySizeBits, int ivSizeBits, int tagSizeBits, List<Case> cases) {
    public String describe() {
      return "key " + keySizeBits + " / iv " + ivSizeBits + " / tag " + tagSizeBits + " bits ("
          + cases.size() + " cases)";
    }
  }

  private WycheproofAesGcm() {}

  public static List<Group> groups() {
    try (InputStream in = WycheproofAesGcm.class.getResourceAsStream("/wycheproof/aes_gcm_test.json")) {
      if (in == null) {
        throw new IllegalStateException("wycheproof/aes_gcm_test.json is not on the test classpath");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      HexFormat hex = HexFormat.of();
      List<Group> groups = new ArrayList<>();
      for (JsonNode g : root.get("testGroups")) {
        List<Case> cases = new ArrayList<>();
        for (JsonNode t : g.get("tests")) {
          String result = t.get("result").asText();
          if (!result.equals("valid") && !result.equals("invalid")) {
            throw new IllegalStateException("unexpected result " + result + " in tcId " + t.get("tcId"));
          }
          cases.add(new Case(t.get("tcId").asInt(), t.get("comment").asText(),
              hex.parseHex(t.get("key").asText()), hex.parseHex(t.get("iv").asText()),
              hex.parseHex(t.get("aad").asText()), hex.parseHex(t.get("msg").asText()),
              hex.parseHex(t.get("ct").asText()), hex.parseHex(t.get("tag").asText()),
              result.equals("valid")));
        }
        groups.add(new Group(g.get("keySize").asInt(), g.get("ivSize").asInt(), g.get("tagSize").asInt(), cases));
      }
      return groups;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
