package dev.ticketoffload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.RevokeItem;
import dev.ticketoffload.api.v1.RevokeOutcome;
import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResponse;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.api.v1.TicketServiceGrpc.TicketServiceBlockingStub;
import dev.ticketoffload.server.keys.KeyRingEditor;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestCertificates;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS with a per-identity realm policy, through ticketd serve's own flags. */
class TlsRealmIsolationTest {

  @TempDir
  static Path dir;
  static TestCertificates pki;
  static DaemonFixture server;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestCertificates(dir, "gateways");
    TestCertificates.Issued serverCert = pki.server();
    Path ring = dir.resolve("keyring.json");
    new KeyRingEditor(ring, Clock.systemUTC()).init(List.of("realm-a", "realm-b"));
    Path policy = dir.resolve("realms.properties");
    Files.writeString(policy, "cn:gateway-a = realm-a\ndns:fleet-b.example.net = realm-b\nuri:spiffe://example.org/gw-c = realm-b\n");
    server = new DaemonFixture("--listen", "127.0.0.1:0", "--key-ring", ring.toString(), "--backend", "jdk",
        "--tls-cert", serverCert.cert().toString(), "--tls-key", serverCert.key().toString(),
        "--client-ca", pki.caPem.toString(), "--realm-policy", policy.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static TicketServiceBlockingStub as(TestCertificates.Issued client) throws Exception {
    return server.stub(TlsChannelCredentials.newBuilder().trustManager(pki.caPem.toFile())
        .keyManager(client.cert().toFile(), client.key().toFile()).build(), "localhost");
  }

  @Test
  void gatewayOfRealmA_sealsAndOpensInA_butIsDeniedRealmB() throws Exception {
    TicketServiceBlockingStub a = as(pki.client("gateway-a", null));
    SealResult sealed = a.seal(States.sealRequest("realm-a", 1)).getResults(0);
    OpenResult opened = a.open(States.openRequest("realm-a", List.of(sealed.getTicket()), false)).getResults(0);
    assertThat(opened.getOutcome()).isEqualTo(Outcome.OK);

    assertThatThrownBy(() -> a.seal(States.sealRequest("realm-b", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("realm-b").contains("gateway-a");
        });
    assertThatThrownBy(() -> a.open(States.openRequest("realm-b", List.of(sealed.getTicket()), true)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void identityBySubjectAltName_getsItsRealm_andNotTheDefault() throws Exception {
    TicketServiceBlockingStub b = as(pki.client("some-host", "fleet-b.example.net"));
    assertThat(b.seal(States.sealRequest("realm-b", 2)).getResultsCount()).isEqualTo(2);
    assertThatThrownBy(() -> b.seal(States.sealRequest("", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void spiffeIdOverMtls_getsItsRealm_andACertificateNamedSpiffeGetsNone() throws Exception {
    TicketServiceBlockingStub c = as(pki.clientWithSans("gw-c",
        new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier,
            "spiffe://example.org/gw-c")));
    assertThat(c.seal(States.sealRequest("realm-b", 1)).getResultsCount()).isEqualTo(1);
    TicketServiceBlockingStub spiffe = as(pki.client("spiffe", null));
    assertThatThrownBy(() -> spiffe.seal(States.sealRequest("realm-b", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void clientWithoutCertificate_isRefused() throws Exception {
    TicketServiceBlockingStub anonymous = server.stub(
        TlsChannelCredentials.newBuilder().trustManager(pki.caPem.toFile()).build(), "localhost");
    assertThatThrownBy(() -> anonymous.seal(States.sealRequest("realm-a", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED));
  }

  @Test
  void clientCertificateFromAnotherCa_isRefused() throws Exception {
    TestCertificates otherPki = new TestCertificates(Files.createTempDirectory(dir, "other"), "intruders");
    TestCertificates.Issued intruder = otherPki.client("gateway-a", null);
    TicketServiceBlockingStub stub = server.stub(TlsChannelCredentials.newBuilder().trustManager(pki.caPem.toFile())
        .keyManager(intruder.cert().toFile(), intruder.key().toFile()).build(), "localhost");
    assertThatThrownBy(() -> stub.seal(States.sealRequest("realm-a", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void plaintextClient_cannotTalkToTheTlsPort() {
    assertThatThrownBy(() -> server.plaintext().seal(States.sealRequest("realm-a", 1)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void gatewayOfRealmA_revokesInA_butIsDeniedRevokingInB_andNothingIsRecordedThere() throws Exception {
    TicketServiceBlockingStub a = as(pki.client("gateway-a", null));
    TicketServiceBlockingStub b = as(pki.client("some-host", "fleet-b.example.net"));
    // an identity no other test of this class seals, so its revocation touches no other test
    IkeSaState state = States.reference(77);
    SealRequest seal = SealRequest.newBuilder().addItems(SealItem.newBuilder().setState(state).setLifetimeSeconds(600))
        .build();
    ByteString inB = b.seal(seal.toBuilder().setRealm("realm-b").build()).getResults(0).getTicket();
    ByteString inA = a.seal(seal.toBuilder().setRealm("realm-a").build()).getResults(0).getTicket();

    for (RevokeItem item : List.of(RevokeItem.newBuilder().setIdI(state.getIdI()).build(),
        RevokeItem.newBuilder().setTicket(inB).build())) {
      assertThatThrownBy(() -> a.revoke(RevokeRequest.newBuilder().setRealm("realm-b").addItems(item).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).contains("realm-b").contains("gateway-a");
          });
    }
    assertThat(b.open(States.openRequest("realm-b", List.of(inB), false)).getResults(0).getOutcome())
        .isEqualTo(Outcome.OK);

    RevokeResponse revoked = a.revoke(RevokeRequest.newBuilder().setRealm("realm-a")
        .addItems(RevokeItem.newBuilder().setIdI(state.getIdI())).build());
    assertThat(revoked.getResults(0).getOutcome()).isEqualTo(RevokeOutcome.REVOKE_RECORDED);
    assertThat(a.open(States.openRequest("realm-a", List.of(inA), false)).getResults(0).getOutcome())
        .isEqualTo(Outcome.REVOKED);
  }
}
