package dev.ticketoffload.core.keys;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One realm (one gateway fleet) of the key ring: its epoch length, its maximum ticket lifetime, its
 * master secrets (exactly one of them primary) and its quota of replay records
 * ({@code maxReplayEntries}: consumed tickets the store remembers for this realm at most;
 * {@link #SERVER_DEFAULT_REPLAY_ENTRIES} leaves it to the server's {@code --replay-guard-max-entries}),
 * and how it seals ({@code ticket_mode}).
 */
public record RealmConfig(String name, long epochSeconds, long maxTicketLifetimeSeconds,
    List<MasterSecret> masters, long maxReplayEntries, TicketMode ticketMode) {

  /** {@code max_replay_entries} absent: the server's default applies. */
  public static final long SERVER_DEFAULT_REPLAY_ENTRIES = 0;
  /** Upper bound of {@code max_replay_entries}: 2^40, far above any memory. */
  public static final long MAX_REPLAY_ENTRIES = 1L << 40;

  public static final long DEFAULT_EPOCH_SECONDS = 3600;
  public static final long DEFAULT_MAX_TICKET_LIFETIME_SECONDS = 86_400;
  /** Upper bound for epoch_seconds and max_ticket_lifetime_seconds: one year. */
  public static final long MAX_SECONDS = 366L * 86_400;
  public static final int MAX_NAME_BYTES = 64;
  public static final String DEFAULT_REALM = "default";

  public RealmConfig {
    masters = List.copyOf(masters);
    if (maxReplayEntries < 0 || maxReplayEntries > MAX_REPLAY_ENTRIES) {
      throw new IllegalArgumentException("max_replay_entries must be 1.." + MAX_REPLAY_ENTRIES + ", got "
          + maxReplayEntries);
    }
    if (ticketMode == null) {
      throw new IllegalArgumentException("realm " + name + ": ticket_mode must be set");
    }
  }

  /** A realm with the server's default quota of replay records, sealing by value. */
  public RealmConfig(String name, long epochSeconds, long maxTicketLifetimeSeconds, List<MasterSecret> masters) {
    this(name, epochSeconds, maxTicketLifetimeSeconds, masters, SERVER_DEFAULT_REPLAY_ENTRIES, TicketMode.VALUE);
  }

  /** A realm with the server's default quota of replay records, sealing in {@code mode}. */
  public RealmConfig(String name, long epochSeconds, long maxTicketLifetimeSeconds, List<MasterSecret> masters,
      TicketMode mode) {
    this(name, epochSeconds, maxTicketLifetimeSeconds, masters, SERVER_DEFAULT_REPLAY_ENTRIES, mode);
  }

  /** A realm with a quota of replay records, sealing by value. */
  public RealmConfig(String name, long epochSeconds, long maxTicketLifetimeSeconds, List<MasterSecret> masters,
      long maxReplayEntries) {
    this(name, epochSeconds, maxTicketLifetimeSeconds, masters, maxReplayEntries, TicketMode.VALUE);
  }

  /** This realm with other masters (a rotation), everything else kept. */
  public RealmConfig withMasters(List<MasterSecret> newMasters) {
    return new RealmConfig(name, epochSeconds, maxTicketLifetimeSeconds, newMasters, maxReplayEntries, ticketMode);
  }

  /** This realm sealing in {@code mode}, everything else kept. */
  public RealmConfig withTicketMode(TicketMode mode) {
    return new RealmConfig(name, epochSeconds, maxTicketLifetimeSeconds, masters, maxReplayEntries, mode);
  }

  public MasterSecret primary() {
    return masters.stream().filter(m -> m.state() == MasterState.PRIMARY).findFirst()
        .orElseThrow(() -> new IllegalStateException("realm " + name + " has no primary master"));
  }

  /** @return {@code null} when the name is valid, else what is wrong with it */
  public static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      return "a realm name must not be empty";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "realm name is longer than " + MAX_NAME_BYTES + " bytes of UTF-8";
    }
    boolean ok = name.codePoints()
        .allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    return ok ? null : "realm name may hold only letters, digits, '.', '_' and '-'";
  }

  @Override
  public String toString() {
    return "RealmConfig[name=" + name + ", epoch_seconds=" + epochSeconds
        + ", max_ticket_lifetime_seconds=" + maxTicketLifetimeSeconds + ", max_replay_entries="
        + (maxReplayEntries == SERVER_DEFAULT_REPLAY_ENTRIES ? "default" : maxReplayEntries)
        + ", ticket_mode=" + ticketMode.jsonName() + ", masters=" + masters + "]";
  }
}
