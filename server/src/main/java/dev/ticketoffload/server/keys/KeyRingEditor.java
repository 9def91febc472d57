package dev.ticketoffload.server.keys;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.KeyRingException;
import dev.ticketoffload.core.keys.KeyRingFile;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.MasterState;
import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.core.keys.TicketMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operations of {@code ticketd keys}: create, rotate and retire masters in a key ring file.
 * Each edit reads, changes and writes the file under {@link KeyRingLock}, so concurrent edits (two
 * operators, two first starts) never lose one another's changes; every write is atomic, owner-only
 * and fsynced by ticket-core's {@link KeyRingFile}. A running server picks changes up by reloading.
 */
public final class KeyRingEditor {

  /** How long an edit waits for another one to finish before it gives up with a clear error. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

  private final Path file;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public KeyRingEditor(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  /**
   * Creates a new key ring with one primary master per realm.
   *
   * @throws IOException if the file exists (never overwrites keys) or cannot be written
   */
  public KeyRing init(List<String> realms) throws IOException {
    return init(realms, TicketMode.VALUE);
  }

  /** As {@link #init(List)}, every realm sealing in {@code mode}. */
  public KeyRing init(List<String> realms, TicketMode mode) throws IOException {
    KeyRing ring = createIfAbsent(realms, mode);
    if (ring == null) {
      throw new IOException("key ring " + file + " already exists; not overwriting it");
    }
    return ring;
  }

  /**
   * Creates a new key ring with one primary master per realm unless the file exists. Of concurrent
   * callers (two first starts of the server) exactly one creates it; the others find it.
   *
   * @return the new key ring, or {@code null} when the file already existed (it is left unchanged)
   */
  public KeyRing createIfAbsent(List<String> realms) throws IOException {
    return createIfAbsent(realms, TicketMode.VALUE);
  }

  private KeyRing createIfAbsent(List<String> realms, TicketMode mode) throws IOException {
    List<RealmConfig> configs = new ArrayList<>();
    for (String realm : realms) {
      String problem = RealmConfig.checkName(realm);
      if (problem != null) {
        throw new IllegalArgumentException("realm \"" + realm + "\": " + problem);
      }
      configs.add(new RealmConfig(realm, RealmConfig.DEFAULT_EPOCH_SECONDS,
          RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS, List.of(newMaster(1, MasterState.PRIMARY)), mode));
    }
    KeyRing ring = new KeyRing(configs);
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try (KeyRingLock _ = KeyRingLock.acquire(file, LOCK_TIMEOUT)) {
      // create-only even under the lock: a writer that does not take it (an older ticketd) still cannot be overwritten
      if (!KeyRingFile.writeNew(file, ring)) {
        ring.destroy();
        return null;
      }
    }
    return ring;
  }

  /**
   * Adds a new primary master to {@code realm} (creating the realm if absent) and demotes the old
   * primary to decrypt-only, so tickets sealed before still open.
   *
   * @return the new master's id
   */
  public int rotate(String realm) throws IOException, KeyRingException {
    return rotate(realm, null);
  }

  /**
   * As {@link #rotate(String)}; a {@code mode} other than {@code null} becomes the realm's ticket mode
   * from now on (tickets of the other mode still open), {@code null} keeps it ({@code value} for a new
   * realm).
   */
  public int rotate(String realm, TicketMode mode) throws IOException, KeyRingException {
    try (KeyRingLock _ = KeyRingLock.acquire(file, LOCK_TIMEOUT)) {
      return rotateLocked(realm, mode);
    }
  }

  private int rotateLocked(String realm, TicketMode mode) throws IOException, KeyRingException {
    KeyRing ring = KeyRingFile.load(file);
    List<RealmConfig> realms = new ArrayList<>();
    int newId = 1;
    boolean found = false;
    for (RealmConfig r : ring.realms()) {
      if (!r.name().equals(realm)) {
        realms.add(r);
        continue;
      }
      found = true;
      List<MasterSecret> masters = new ArrayList<>();
      for (MasterSecret m : r.masters()) {
        masters.add(m.state() == MasterState.PRIMARY ? m.withState(MasterState.DECRYPT_ONLY) : m);
        newId = Math.max(newId, m.id() + 1);
      }
      if (newId > 0xFFFF) {
        throw new IllegalArgumentException("realm " + realm + ": no master id left (65535 used)");
      }
      masters.add(newMaster(newId, MasterState.PRIMARY));
      RealmConfig rotated = r.withMasters(masters);
      realms.add(mode == null ? rotated : rotated.withTicketMode(mode));
    }
    if (!found) {
      String problem = RealmConfig.checkName(realm);
      if (problem != null) {
        throw new IllegalArgumentException("realm \"" + realm + "\": " + problem);
      }
      realms.add(new RealmConfig(realm, RealmConfig.DEFAULT_EPOCH_SECONDS,
          RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS, List.of(newMaster(newId, MasterState.PRIMARY)),
          mode == null ? TicketMode.VALUE : mode));
    }
    KeyRingFile.write(file, new KeyRing(realms));
    return newId;
  }

  /**
   * Retires master {@code id} of {@code realm}: tickets sealed under it no longer open. The primary
   * cannot be retired (rotate first).
   */
  public void retire(String realm, int id) throws IOException, KeyRingException {
    try (KeyRingLock _ = KeyRingLock.acquire(file, LOCK_TIMEOUT)) {
      retireLocked(realm, id);
    }
  }

  private void retireLocked(String realm, int id) throws IOException, KeyRingException {
    KeyRing ring = KeyRingFile.load(file);
    List<RealmConfig> realms = new ArrayList<>();
    boolean found = false;
    for (RealmConfig r : ring.realms()) {
      if (!r.name().equals(realm)) {
        realms.add(r);
        continue;
      }
      List<MasterSecret> masters = new ArrayList<>();
      for (MasterSecret m : r.masters()) {
        if (m.id() == id) {
          if (m.state() == MasterState.PRIMARY) {
            throw new IllegalArgumentException("realm " + realm + ": master " + id
                + " is the primary; rotate first, then retire it");
          }
          found = true;
          masters.add(m.withState(MasterState.RETIRED));
        } else {
          masters.add(m);
        }
      }
      realms.add(r.withMasters(masters));
    }
    if (!found) {
      throw new IllegalArgumentException("realm " + realm + " has no master " + id);
    }
    KeyRingFile.write(file, new KeyRing(realms));
  }

  /** One line per realm and master, without secrets. */
  public List<String> list() throws KeyRingException {
    KeyRing ring = KeyRingFile.load(file);
    List<String> lines = new ArrayList<>();
    for (RealmConfig r : ring.realms()) {
      lines.add("realm " + r.name() + "  epoch_seconds=" + r.epochSeconds()
          + "  max_ticket_lifetime_seconds=" + r.maxTicketLifetimeSeconds()
          + "  ticket_mode=" + r.ticketMode().jsonName());
      for (MasterSecret m : r.masters()) {
        lines.add("  master " + m.id() + "  " + m.state().jsonName() + "  created_at=" + m.createdAt());
      }
    }
    ring.destroy();
    return lines;
  }

  private MasterSecret newMaster(int id, MasterState state) {
    byte[] secret = new byte[MasterSecret.SECRET_SIZE_IN_BYTES];
    random.nextBytes(secret);
    try {
      return new MasterSecret(id, state, secret, Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
