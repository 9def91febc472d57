package dev.ticketoffload.server.grpc;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.openssl.BackendChoice;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.replay.ReplayGuard;
import java.time.InstantSource;

/**
 * Everything a batch needs once the server is ready: keys in force, the sealer and opener over
 * them, and the replay guard the opener consults. Built once; a key ring reload updates
 * {@code keys} in place ({@link KeySchedule#update}).
 */
public record TicketCrypto(BackendChoice backend, KeySchedule keys, TicketSealer sealer, TicketOpener opener,
    ReplayGuard replayGuard, InstantSource clock) {

  public static TicketCrypto assemble(BackendChoice backend, KeyRing ring, ServiceLimits limits,
      InstantSource clock) {
    KeySchedule keys = new KeySchedule(backend.backend(), ring);
    ReplayGuard guard = new ReplayGuard(limits.replayGuardMaxEntries(), limits.replayGuardWhenFull(),
        limits.skewSeconds(), clock);
    TicketSealer sealer = new TicketSealer(keys, clock, new IvSource(), limits.maxTicketBytes());
    TicketOpener opener = new TicketOpener(keys, clock, guard, limits.maxTicketBytes(), limits.skewSeconds());
    return new TicketCrypto(backend, keys, sealer, opener, guard, clock);
  }
}
