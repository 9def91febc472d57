package dev.ticketoffload.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.aead.AeadBackend;
import dev.ticketoffload.core.aead.AeadKey;
import dev.ticketoffload.core.aead.BouncyCastleAeadBackend;
import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.state.IkeSaState;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.OpenedTicket;
import dev.ticketoffload.core.ticket.Outcome;
import dev.ticketoffload.core.ticket.SingleUseStore;
import dev.ticketoffload.core.ticket.TestOpens;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenSSL and Bouncy Castle produce and accept each other's output, byte for byte. */
class CrossBackendTest {

  private static final int MAX_TICKET_BYTES = 2048;
  private static AeadBackend openSsl;
  private static final AeadBackend BOUNCY_CASTLE = new BouncyCastleAeadBackend();

  @BeforeAll
  static void load() throws LibCryptoUnavailableException {
    openSsl = OpenSslAeadBackend.load();
  }

  @Test
  void aead_everyPlaintextSizeUpTo2048_opensWithTheOtherBackend() {
    Random random = new Random(42);
    byte[] secret = bytes(random, 32);
    List<String> failures = new ArrayList<>();
    try (AeadKey ours = openSsl.bind(secret); AeadKey theirs = BOUNCY_CASTLE.bind(secret)) {
      for (int size = 0; size <= MAX_TICKET_BYTES; size++) {
        byte[] iv = bytes(random, 12);
        byte[] aad = bytes(random, random.nextInt(65));
        byte[] plaintext = bytes(random, size);
        byte[] byOurs = new byte[size + 16];
        byte[] byTheirs = new byte[size + 16];
        ours.seal(iv, 0, aad, 0, aad.length, plaintext, 0, size, byOurs, 0);
        theirs.seal(iv, 0, aad, 0, aad.length, plaintext, 0, size, byTheirs, 0);
        byte[] opened = new byte[size];
        if (!Arrays.equals(byOurs, byTheirs)) {
          failures.add(size + ": ciphertexts differ");
        } else if (!theirs.open(iv, 0, aad, 0, aad.length, byOurs, 0, byOurs.length, opened, 0)
            || !Arrays.equals(opened, plaintext)) {
          failures.add(size + ": Bouncy Castle cannot open OpenSSL's");
        } else if (!ours.open(iv, 0, aad, 0, aad.length, byTheirs, 0, byTheirs.length, opened, 0)
            || !Arrays.equals(opened, plaintext)) {
          failures.add(size + ": OpenSSL cannot open Bouncy Castle's");
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void tickets_randomStatesOfEverySize_openWithTheOtherBackend() {
    long now = 1_764_190_000L;
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(now));
    Random random = new Random(7);
    List<String> failures = new ArrayList<>();
    try (KeySchedule viaOpenSsl = new KeySchedule(openSsl, ring());
         KeySchedule viaBouncyCastle = new KeySchedule(BOUNCY_CASTLE, ring())) {
      TicketSealer[] sealers = {
          new TicketSealer(viaOpenSsl, clock, new IvSource(), MAX_TICKET_BYTES),
          new TicketSealer(viaBouncyCastle, clock, new IvSource(), MAX_TICKET_BYTES)};
      TicketOpener[] openers = {
          new TicketOpener(viaBouncyCastle, MAX_TICKET_BYTES, 0),
          new TicketOpener(viaOpenSsl, MAX_TICKET_BYTES, 0)};
      // ext from 0 to 1024 bytes and IDs from 1 to 800 bytes: tickets from the minimum to 2048 bytes.
      for (int i = 0; i < 400; i++) {
        IkeSaState state = randomState(random, now, i % 2 == 0 ? random.nextInt(1025) : 0,
            1 + random.nextInt(i < 200 ? 64 : 400));
        for (int direction = 0; direction < 2; direction++) {
          byte[] ticket = sealers[direction].seal("default", state);
          OpenedTicket opened = TestOpens.open(openers[direction], "default", ticket, false, now,
              SingleUseStore.NONE);
          if (opened.outcome() != Outcome.OK || !state.equals(opened.state())) {
            failures.add("state " + i + " (" + ticket.length + " bytes), direction " + direction
                + ": " + opened.outcome());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private static IkeSaState randomState(Random random, long now, int extLength, int idLength) {
    return IkeSaState.builder()
        .issuedAtSeconds(now).expiresAtSeconds(now + 3600)
        .spiI(bytes(random, 8)).spiR(bytes(random, 8))
        .authMethod(2).flags(random.nextInt(2))
        .skD(bytes(random, 1 + random.nextInt(64)))
        .idI(bytes(random, idLength)).idR(bytes(random, 1 + random.nextInt(64)))
        .saR(bytes(random, 1 + random.nextInt(200)))
        .ext(bytes(random, extLength))
        .build();
  }

  private static KeyRing ring() {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x22);
    return new KeyRing(List.of(new RealmConfig("default", 3600, 86_400, List.of(
        new MasterSecret(2, MasterState.PRIMARY, secret, Instant.parse("2026-11-01T08:00:00Z"))))));
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
