package dev.ticketoffload.server.testing;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Key rings made at test time. */
public final class TestKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  public static MasterSecret master(int id, MasterState state) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new MasterSecret(id, state, secret, Instant.parse("2026-11-26T00:00:00Z"));
  }

  /** One realm with its own {@code max_replay_entries}, one primary master. */
  public static KeyRing ringWithQuota(String realm, long maxReplayEntries) {
    return new KeyRing(List.of(new RealmConfig(realm, RealmConfig.DEFAULT_EPOCH_SECONDS,
        RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS, List.of(master(1, MasterState.PRIMARY)), maxReplayEntries)));
  }

  /** One primary master per realm, default epoch and lifetime. */
  public static KeyRing ring(String... realms) {
    List<RealmConfig> configs = new ArrayList<>();
    for (String realm : realms) {
      configs.add(new RealmConfig(realm, RealmConfig.DEFAULT_EPOCH_SECONDS,
          RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS, List.of(master(1, MasterState.PRIMARY))));
    }
    return new KeyRing(configs);
  }
}
