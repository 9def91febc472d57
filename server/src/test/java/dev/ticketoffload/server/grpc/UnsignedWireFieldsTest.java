package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.RawCalls;
import dev.ticketoffload.server.testing.RawProto;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The proto's uint32 and uint64 fields at their edges, sent as raw protobuf bytes written by hand
 * (as a gateway in C writes them), not through the generated Java classes: Java reads uint32 into
 * an int, so 4294967295 arrives as -1 unless the service reads it as unsigned.
 */
class UnsignedWireFieldsTest {

  private static final long UINT32_MAX = 0xFFFF_FFFFL;
  private static final long UINT64_MAX = -1L; // all 64 bits set: 18446744073709551615
  private static final long MAX_LIFETIME = RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS;

  private LoopbackServer loopback;

  @BeforeEach
  void start() throws Exception {
    loopback = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"));
  }

  @AfterEach
  void stop() {
    loopback.close();
  }

  private static RawProto state(long authMethod) {
    var s = States.reference(1);
    return new RawProto()
        .bytes(1, s.getSpiI().toByteArray()).bytes(2, s.getSpiR().toByteArray())
        .varint(3, authMethod).varint(4, 1)
        .bytes(5, s.getSkD().toByteArray()).bytes(6, s.getIdI().toByteArray())
        .bytes(7, s.getIdR().toByteArray()).bytes(8, s.getSaR().toByteArray());
  }

  private SealResponse seal(long ref, long lifetimeSeconds, long authMethod) throws Exception {
    byte[] request = new RawProto().string(1, "default")
        .message(2, new RawProto().varint(1, ref).message(2, state(authMethod)).varint(3, lifetimeSeconds))
        .toByteArray();
    return SealResponse.parseFrom(RawCalls.unary(loopback.channel, "Seal", request));
  }

  private OpenResult open(long ref, SealResult sealed) throws Exception {
    byte[] request = new RawProto()
        .message(2, new RawProto().varint(1, ref).bytes(2, sealed.getTicket().toByteArray()))
        .toByteArray();
    return OpenResponse.parseFrom(RawCalls.unary(loopback.channel, "Open", request)).getResults(0);
  }

  @ParameterizedTest
  @ValueSource(longs = {UINT32_MAX, 1L << 31, (1L << 31) - 1, MAX_LIFETIME + 1})
  void seal_lifetimeAboveTheRealmsMaximum_isCutToIt_evenPastInt32(long lifetimeSeconds) throws Exception {
    long now = loopback.clock.seconds();

    SealResult sealed = seal(7, lifetimeSeconds, 2).getResults(0);

    assertThat(Integer.toUnsignedLong(sealed.getLifetimeSeconds())).isEqualTo(MAX_LIFETIME);
    assertThat(sealed.getExpiresAt()).isEqualTo(now + MAX_LIFETIME);
    OpenResult opened = open(8, sealed);
    assertThat(opened.getOutcome()).isEqualTo(Outcome.OK);
    assertThat(opened.getExpiresAt()).isEqualTo(now + MAX_LIFETIME);
    assertThat(opened.getIssuedAt()).isEqualTo(now);
  }

  @Test
  void seal_lifetimeZero_isTheRealmsMaximum_andOneIsOneSecond() throws Exception {
    assertThat(seal(1, 0, 2).getResults(0).getLifetimeSeconds()).isEqualTo((int) MAX_LIFETIME);
    assertThat(seal(1, 1, 2).getResults(0).getLifetimeSeconds()).isEqualTo(1);
  }

  @Test
  void ref_allSixtyFourBits_isEchoedUnchanged_bySealAndOpen() throws Exception {
    SealResult sealed = seal(UINT64_MAX, 60, 2).getResults(0);
    assertThat(Long.toUnsignedString(sealed.getRef())).isEqualTo("18446744073709551615");

    OpenResult opened = open(1L << 63, sealed);
    assertThat(Long.toUnsignedString(opened.getRef())).isEqualTo("9223372036854775808");
  }

  @Test
  void authMethod_255_roundTrips() throws Exception {
    OpenResult opened = open(1, seal(1, 60, 255).getResults(0));
    assertThat(opened.getOutcome()).isEqualTo(Outcome.OK);
    assertThat(Integer.toUnsignedLong(opened.getState().getAuthMethod())).isEqualTo(255);
  }

  /** Found by RawRequestFuzzTest: gRPC itself answered UNKNOWN ("Application error processing RPC"). */
  @ParameterizedTest
  @ValueSource(strings = {"Seal", "Open"})
  void request_whoseBytesDoNotParse_isInvalidArgument_notUnknown(String method) {
    byte[] truncated = {0x0a, 0x0a}; // field 1, length 10, then nothing
    assertThatThrownBy(() -> RawCalls.unary(loopback.channel, method, truncated))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("not a valid ticketoffload.v1." + method + "Request");
        });
  }

  @ParameterizedTest
  @ValueSource(longs = {256, 1L << 31, UINT32_MAX})
  void authMethod_aboveAByte_isInvalidArgument_namingTheValueAsSent(long authMethod) {
    assertThatThrownBy(() -> seal(1, 60, authMethod))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .contains("items[0].state").contains("auth_method").contains("got " + authMethod);
        });
  }
}
