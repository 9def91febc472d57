package dev.ticketoffload.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realm policy's identities against real certificates: each line names one kind of identity,
 * in its own name space, parsed strictly.
 */
class RealmPolicyTest {

  @TempDir
  static Path dir;
  static TestCertificates pki;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestCertificates(dir, "gateways");
  }

  private static RealmPolicy policy(String text) throws Exception {
    Path file = Files.createTempFile(dir, "realms", ".policy");
    Files.writeString(file, text);
    return RealmPolicy.load(file);
  }

  private static Set<String> realmsOf(RealmPolicy policy, X509Certificate cert) {
    return policy.accessFor(ClientIdentity.names(cert)).realms();
  }

  private static GeneralName uri(String v) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, v);
  }

  @Test
  void spiffeIdAsUriSan_getsItsRealms_andACertificateWhoseCnIsSpiffe_getsNone() throws Exception {
    RealmPolicy policy = policy("uri:spiffe://example.org/gw-a = realm-a\n");

    assertThat(realmsOf(policy, pki.certificate("gw-a", uri("spiffe://example.org/gw-a")))).containsExactly("realm-a");
    assertThat(realmsOf(policy, pki.certificate("spiffe"))).isEmpty();
    assertThat(realmsOf(policy, pki.certificate("spiffe://example.org/gw-a"))).isEmpty(); // a CN is not a URI
    assertThat(realmsOf(policy, pki.certificate("gw-x", uri("spiffe://example.org/gw-a/x")))).isEmpty();
  }

  @Test
  void cnEqualToAnotherGatewaysDnsName_doesNotGetItsRealms() throws Exception {
    RealmPolicy policy = policy("dns:gw-b.example.net = realm-b\ncn:gateway-c = realm-c\n");

    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.dNSName, "GW-B.example.net"))))
        .containsExactly("realm-b");
    assertThat(realmsOf(policy, pki.certificate("gw-b.example.net"))).isEmpty();
    assertThat(realmsOf(policy, pki.certificate("gateway-c"))).containsExactly("realm-c");
    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.dNSName, "gateway-c")))).isEmpty();
  }

  @Test
  void ipSans_matchAsAddresses_v4AndV6InAnySpelling() throws Exception {
    RealmPolicy policy = policy("ip:2001:db8::1 = realm-v6\nip:192.0.2.7 = realm-v4\n");

    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.iPAddress, "2001:0DB8:0:0:0:0:0:1"))))
        .containsExactly("realm-v6");
    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.iPAddress, "192.0.2.7"))))
        .containsExactly("realm-v4");
    assertThat(realmsOf(policy, pki.certificate("2001:db8::1"))).isEmpty();
    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.dNSName, "192.0.2.7")))).isEmpty();
  }

  @Test
  void emailSan_matchesWithTheDomainCaseInsensitive_andAnEqualCnDoesNot() throws Exception {
    RealmPolicy policy = policy("# operators\n\nemail:ops@Example.NET = *\n");

    assertThat(policy.accessFor(ClientIdentity.names(
        pki.certificate("x", new GeneralName(GeneralName.rfc822Name, "ops@example.net")))).allows("any-realm")).isTrue();
    assertThat(realmsOf(policy, pki.certificate("x", new GeneralName(GeneralName.rfc822Name, "OPS@example.net")))).isEmpty();
    assertThat(realmsOf(policy, pki.certificate("ops@example.net"))).isEmpty();
  }

  @Test
  void cnWithSpacesAndUriWithEquals_areWholeValues() throws Exception {
    RealmPolicy policy = policy("cn: Gateway A = realm-a, realm-b\nuri:https://id.example/gw?x=1 = realm-c\n");

    assertThat(realmsOf(policy, pki.certificate("Gateway A"))).containsExactlyInAnyOrder("realm-a", "realm-b");
    assertThat(realmsOf(policy, pki.certificate("x", uri("https://id.example/gw?x=1")))).containsExactly("realm-c");
  }

  @Test
  void badLines_areRefusedNamingTheLine() {
    assertRefused("cn:a = realm-a\ngateway-b = realm-b\n", "line 2", "must start with its kind");
    assertRefused("spiffe://example.org/gw-a = realm-a\n", "line 1", "must start with its kind");
    assertRefused("x500:cn=a = realm-a\n", "line 1", "must start with its kind");
    assertRefused("\n\ncn:a realm-a\n", "line 3", "expected KIND:VALUE = realm");
    assertRefused("dns: = realm-a\n", "line 1", "dns: needs a value");
    assertRefused("cn:a = realm a\n", "line 1", "realm \"realm a\"");
    assertRefused("cn:a = realm-a,\n", "line 1", "must not be empty");
    assertRefused("cn:a = \n", "line 1", "must not be empty");
    assertRefused("ip:gateway.example.net = realm-a\n", "line 1", "not an IPv4 or IPv6 address literal");
    assertRefused("ip:2001:db8::1 = realm-a\nip:2001:DB8:0::1 = realm-b\n", "line 2", "already given on line 1");
    assertRefused("dns:gw.example.net = realm-a\ndns:GW.example.net = realm-b\n", "line 2", "already given on line 1");
  }

  @Test
  void readmeExample_parses_andGivesTheSpiffeIdItsRealm() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```\n# KIND:VALUE");
    assertThat(start).as("the README's realm policy example").isPositive();
    String example = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 3));

    RealmPolicy policy = policy(example);

    assertThat(policy.size()).isEqualTo(6);
    assertThat(realmsOf(policy, pki.certificate("gw", uri("spiffe://example.org/ns/vpn/sa/gateway-a"))))
        .containsExactly("realm-a");
  }

  @Test
  void notUtf8_isRefused() throws Exception {
    Path file = dir.resolve("latin1.policy");
    Files.write(file, new byte[] {'c', 'n', ':', (byte) 0xE9, '=', 'r'});
    assertThatThrownBy(() -> RealmPolicy.load(file)).hasMessageContaining("not UTF-8");
  }

  private static void assertRefused(String text, String line, String problem) {
    assertThatThrownBy(() -> policy(text)).as(text)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(line).hasMessageContaining(problem);
  }
}
