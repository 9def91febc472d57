package dev.ticketoffload.core.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the key ring file (DESIGN.md, "Key ring file"). Reading refuses a file that group
 * or others may access, unknown fields, and anything out of range, with a message that names the file,
 * the realm and the field. Writing is atomic and owner-only.
 */
public final class KeyRingFile {

  // Strict: a repeated key (the last would win) or content after the object (a second ring from a bad
  // merge) would silently change the key ring, so both are errors, as unknown fields are.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Set<String> TOP_FIELDS = Set.of("version", "realms");
  private static final Set<String> REALM_FIELDS =
      Set.of("name", "epoch_seconds", "max_ticket_lifetime_seconds", "max_replay_entries", "ticket_mode",
          "masters");
  private static final Set<String> MASTER_FIELDS = Set.of("id", "state", "secret", "created_at");

  private KeyRingFile() {}

  public static KeyRing load(Path file) throws KeyRingException {
    checkPermissions(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyRingException("key ring " + file + ": file not found");
    } catch (AccessDeniedException e) {
      throw new KeyRingException("key ring " + file + ": cannot read it (access denied)");
    } catch (IOException e) {
      throw new KeyRingException("key ring " + file + ": cannot read it: " + e.getMessage(), e);
    }
    JsonNode root;
    SecretCapturingParser parser = null;
    try {
      parser = new SecretCapturingParser(JSON.createParser(bytes));
      root = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw new KeyRingException("key ring " + file + ": content after the key ring object");
      }
      return new Parser(file, parser).keyRing(root);
    } catch (JsonProcessingException e) {
      // The location is useful; the original message may quote file content, which may be a secret.
      throw new KeyRingException("key ring " + file + ": not valid JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new KeyRingException("key ring " + file + ": cannot read it: " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0); // the file's bytes, secrets in base64 included
      if (parser != null) {
        parser.wipe();
      }
    }
  }

  /**
   * Refuses a key ring that anyone but its owner may read or write, or that a user other than this
   * process's or root owns (that user could change the keys), as ssh does for private keys.
   *
   * <p>One exception, PostgreSQL's rule for its TLS key: a file owned by root may also be readable
   * (never writable) by its group. That is the only way a Kubernetes Secret volume hands a file to a
   * non-root container: the kubelet makes it owned by root, group the pod's {@code fsGroup}, and adds
   * group read to whatever {@code defaultMode} says (0400 becomes 0440). Only root and that group
   * can read it; others still get nothing.
   */
  static void checkPermissions(Path file) throws KeyRingException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return; // not a POSIX file system: nothing to check
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      throw new KeyRingException("key ring " + file + ": file not found");
    } catch (IOException e) {
      throw new KeyRingException("key ring " + file + ": cannot read its permissions: " + e.getMessage(), e);
    }
    boolean groupReadAllowed = permissions.contains(PosixFilePermission.GROUP_READ) && ownedByRoot(file);
    for (PosixFilePermission p : permissions) {
      if (!p.name().startsWith("OWNER_") && !(p == PosixFilePermission.GROUP_READ && groupReadAllowed)) {
        throw new KeyRingException("key ring " + file + ": permissions "
            + PosixFilePermissions.toString(permissions)
            + " are wider than owner-only (group read is allowed only for a file owned by root); "
            + "the key ring holds secrets (run: chmod 600 " + file + ")");
      }
    }
    try {
      FileOwner.check(file);
    } catch (IOException e) {
      throw new KeyRingException("key ring " + file + ": cannot read its owner: " + e.getMessage(), e);
    }
  }

  private static boolean ownedByRoot(Path file) throws KeyRingException {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(file, "unix:uid"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false; // no numeric owner to check: owner-only it is
    } catch (IOException e) {
      throw new KeyRingException("key ring " + file + ": cannot read its owner: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code ring} to {@code file} atomically, readable by its owner only, and durably: the
   * new file's content and the directory entry that names it are on disk when this returns (a
   * crash never leaves an empty or half-written key ring, nor the old one after a reported rotation).
   */
  public static void write(Path file, KeyRing ring) throws IOException {
    byte[] json = json(ring);
    try {
      DurableFiles.replace(file, json);
    } finally {
      java.util.Arrays.fill(json, (byte) 0); // the secrets in base64
    }
  }

  /**
   * As {@link #write}, but only if {@code file} does not exist yet: of two processes creating the
   * same key ring at once exactly one succeeds, the other's keys are never written.
   *
   * @return {@code false} (nothing written) when {@code file} already exists
   */
  public static boolean writeNew(Path file, KeyRing ring) throws IOException {
    byte[] json = json(ring);
    try {
      return DurableFiles.createNew(file, json);
    } finally {
      java.util.Arrays.fill(json, (byte) 0); // the secrets in base64
    }
  }

  private static byte[] json(KeyRing ring) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", KeyRing.FORMAT_VERSION);
    ArrayNode realms = root.putArray("realms");
    for (RealmConfig r : ring.realms()) {
      ObjectNode realm = realms.addObject();
      realm.put("name", r.name());
      realm.put("epoch_seconds", r.epochSeconds());
      realm.put("max_ticket_lifetime_seconds", r.maxTicketLifetimeSeconds());
      if (r.maxReplayEntries() != RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES) {
        realm.put("max_replay_entries", r.maxReplayEntries());
      }
      if (r.ticketMode() != TicketMode.VALUE) {
        realm.put("ticket_mode", r.ticketMode().jsonName());
      }
      ArrayNode masters = realm.putArray("masters");
      for (MasterSecret m : r.masters()) {
        ObjectNode master = masters.addObject();
        master.put("id", m.id());
        master.put("state", m.state().jsonName());
        byte[] secret = m.secretBytes();
        master.put("secret", Base64.getEncoder().encodeToString(secret));
        java.util.Arrays.fill(secret, (byte) 0);
        master.put("created_at", m.createdAt().toString());
      }
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  /** Walks the JSON tree; every error names the file and the path of the field. */
  private static final class Parser {
    private final Path file;
    private final SecretCapturingParser secrets;

    Parser(Path file, SecretCapturingParser secrets) {
      this.file = file;
      this.secrets = secrets;
    }

    private KeyRingException error(String where, String what) {
      return new KeyRingException("key ring " + file + ": " + (where.isEmpty() ? "" : where + ": ") + what);
    }

    KeyRing keyRing(JsonNode root) throws KeyRingException {
      if (root == null || !root.isObject()) {
        throw error("", "expected a JSON object at the top");
      }
      checkFields(root, TOP_FIELDS, "");
      long version = integer(root, "version", "", 1, Integer.MAX_VALUE);
      if (version != KeyRing.FORMAT_VERSION) {
        throw error("version", "unsupported version " + version + " (this build reads version 1)");
      }
      JsonNode realms = required(root, "realms", "");
      if (!realms.isArray() || realms.isEmpty()) {
        throw error("realms", "expected a non-empty array of realms");
      }
      List<RealmConfig> result = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < realms.size(); i++) {
        RealmConfig realm = realm(realms.get(i), "realms[" + i + "]");
        if (!names.add(realm.name())) {
          throw error("realms[" + i + "]", "realm \"" + realm.name() + "\" appears twice");
        }
        result.add(realm);
      }
      return new KeyRing(result);
    }

    private RealmConfig realm(JsonNode node, String where) throws KeyRingException {
      if (!node.isObject()) {
        throw error(where, "expected an object");
      }
      String name = text(node, "name", where);
      String problem = RealmConfig.checkName(name);
      if (problem != null) {
        throw error(where + ".name", problem);
      }
      where = where + " (realm \"" + name + "\")";
      checkFields(node, REALM_FIELDS, where);
      long epochSeconds = optionalInteger(node, "epoch_seconds", where,
          RealmConfig.DEFAULT_EPOCH_SECONDS, 1, RealmConfig.MAX_SECONDS);
      long maxLifetime = optionalInteger(node, "max_ticket_lifetime_seconds", where,
          RealmConfig.DEFAULT_MAX_TICKET_LIFETIME_SECONDS, 1, RealmConfig.MAX_SECONDS);
      long maxReplayEntries = optionalInteger(node, "max_replay_entries", where,
          RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES, 1, RealmConfig.MAX_REPLAY_ENTRIES);
      TicketMode ticketMode = ticketMode(node, where);
      JsonNode masters = required(node, "masters", where);
      if (!masters.isArray() || masters.isEmpty()) {
        throw error(where + ".masters", "expected a non-empty array of master secrets");
      }
      List<MasterSecret> result = new ArrayList<>();
      Set<Integer> ids = new HashSet<>();
      int primaries = 0;
      for (int i = 0; i < masters.size(); i++) {
        MasterSecret m = master(masters.get(i), where + ".masters[" + i + "]");
        if (!ids.add(m.id())) {
          throw error(where + ".masters[" + i + "]", "duplicate master id " + m.id());
        }
        if (m.state() == MasterState.PRIMARY) {
          primaries++;
        }
        result.add(m);
      }
      if (primaries != 1) {
        throw error(where + ".masters", "expected exactly one master in state \"primary\", found " + primaries);
      }
      return new RealmConfig(name, epochSeconds, maxLifetime, result, maxReplayEntries, ticketMode);
    }

    /** {@code ticket_mode}: absent means {@code value}; anything but the two spellings is an error. */
    private TicketMode ticketMode(JsonNode node, String where) throws KeyRingException {
      if (node.get("ticket_mode") == null) {
        return TicketMode.VALUE;
      }
      String name = text(node, "ticket_mode", where);
      TicketMode mode = TicketMode.fromJsonName(name);
      if (mode == null) {
        throw error(where + ".ticket_mode", "unknown ticket mode \"" + name + "\" (expected value or reference)");
      }
      return mode;
    }

    private MasterSecret master(JsonNode node, String where) throws KeyRingException {
      if (!node.isObject()) {
        throw error(where, "expected an object");
      }
      checkFields(node, MASTER_FIELDS, where);
      int id = (int) integer(node, "id", where, 0, 0xFFFF);
      String stateName = text(node, "state", where);
      MasterState state = MasterState.fromJsonName(stateName);
      if (state == null) {
        throw error(where + ".state", "unknown state \"" + stateName
            + "\" (expected primary, decrypt-only or retired)");
      }
      byte[] secret = secrets.secret(text(node, "secret", where)); // wiped by load, after the copy below
      if (secret == null) {
        throw error(where + ".secret", "not valid base64");
      }
      if (secret.length != MasterSecret.SECRET_SIZE_IN_BYTES) {
        throw error(where + ".secret", "must decode to 32 bytes, got " + secret.length);
      }
      Instant createdAt;
      String created = text(node, "created_at", where);
      try {
        createdAt = Instant.parse(created);
      } catch (DateTimeParseException e) {
        throw error(where + ".created_at", "not an RFC 3339 UTC time such as 2026-11-26T21:00:00Z");
      }
      return new MasterSecret(id, state, secret, createdAt); // copies it
    }

    private void checkFields(JsonNode node, Set<String> known, String where) throws KeyRingException {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!known.contains(field)) {
          throw error(where, "unknown field \"" + field + "\" (expected one of " + new java.util.TreeSet<>(known) + ")");
        }
      }
    }

    private JsonNode required(JsonNode node, String field, String where) throws KeyRingException {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw error(where, "missing field \"" + field + "\"");
      }
      return value;
    }

    private String text(JsonNode node, String field, String where) throws KeyRingException {
      JsonNode value = required(node, field, where);
      if (!value.isTextual()) {
        throw error(path(where, field), "expected a string");
      }
      return value.textValue();
    }

    private long integer(JsonNode node, String field, String where, long min, long max)
        throws KeyRingException {
      return checkedInteger(required(node, field, where), path(where, field), min, max);
    }

    private long optionalInteger(JsonNode node, String field, String where, long fallback,
        long min, long max) throws KeyRingException {
      JsonNode value = node.get(field);
      return value == null ? fallback : checkedInteger(value, path(where, field), min, max);
    }

    private long checkedInteger(JsonNode value, String where, long min, long max) throws KeyRingException {
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw error(where, "expected an integer");
      }
      long v = value.longValue();
      if (v < min || v > max) {
        throw error(where, v + " is out of range " + min + ".." + max);
      }
      return v;
    }

    private static String path(String where, String field) {
      return where.isEmpty() ? field : where + "." + field;
    }
  }
}
