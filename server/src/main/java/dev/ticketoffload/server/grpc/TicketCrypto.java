package dev.ticketoffload.server.grpc;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeySchedule;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.ticket.IvSource;
import dev.ticketoffload.core.ticket.ReferenceSealer;
import dev.ticketoffload.core.ticket.TicketOpener;
import dev.ticketoffload.core.ticket.TicketSealer;
import dev.ticketoffload.openssl.BackendChoice;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.store.ConsumeStore;
import dev.ticketoffload.server.store.ForwardOnlyClock;
import dev.ticketoffload.server.store.MemoryStore;
import java.time.InstantSource;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Everything a batch needs once the server is ready: keys in force, the sealers (by value, by
 * reference) and the opener (both) over
 * them, the store of consumed tickets the opener records in, and the clocks (seals read the wall
 * clock; opens take one {@link ForwardOnlyClock} "now" per batch). Built once; a key ring reload
 * updates {@code keys} in place ({@link KeySchedule#update}).
 */
public record TicketCrypto(BackendChoice backend, KeySchedule keys, TicketSealer sealer,
    ReferenceSealer referenceSealer, TicketOpener opener, ConsumeStore store, InstantSource clock,
    ForwardOnlyClock openClock) {

  /** With the memory store of {@code limits}. */
  public static TicketCrypto assemble(BackendChoice backend, KeyRing ring, ServiceLimits limits,
      InstantSource clock) {
    return assemble(backend, ring, limits, clock, quota -> new MemoryStore(limits.replayGuardWhenFull(),
        limits.skewSeconds(), quota));
  }

  /**
   * @param store builds the store from the realms' quotas ({@code max_replay_entries}, else
   *     {@code --replay-guard-max-entries}), read from the key ring in force at each call
   */
  public static TicketCrypto assemble(BackendChoice backend, KeyRing ring, ServiceLimits limits,
      InstantSource clock, Function<ToLongFunction<String>, ConsumeStore> store) {
    KeySchedule keys = new KeySchedule(backend.backend(), ring);
    long fallback = limits.replayGuardMaxEntries();
    ToLongFunction<String> quota = realm -> {
      RealmConfig config = keys.keyRing().realm(realm);
      long own = config == null ? RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES : config.maxReplayEntries();
      return own == RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES ? fallback : own;
    };
    IvSource random = new IvSource();
    TicketSealer sealer = new TicketSealer(keys, clock, random, limits.maxTicketBytes());
    ReferenceSealer referenceSealer = new ReferenceSealer(keys, clock, random);
    TicketOpener opener = new TicketOpener(keys, limits.maxTicketBytes(), limits.skewSeconds());
    return new TicketCrypto(backend, keys, sealer, referenceSealer, opener, store.apply(quota), clock,
        new ForwardOnlyClock(clock));
  }
}
