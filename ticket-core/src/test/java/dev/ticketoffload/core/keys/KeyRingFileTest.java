package dev.ticketoffload.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key ring file (DESIGN.md, "Key ring file"): every way a file can be unusable is refused with a
 * message that names the file, the place and the problem, and never shows a secret.
 */
class KeyRingFileTest {

  private static final String OWNER_ONLY = "rw-------";
  private static final String R = "realms[0] (realm \"default\")";

  /** Every secret any test file holds; no error message or toString() may contain one. */
  private static final List<byte[]> SECRETS = List.of(secret(1), secret(2), secret(3), secret(4));

  @TempDir
  Path dir;

  // ---- helpers -----------------------------------------------------------------------------

  private static byte[] secret(int seed) {
    byte[] s = new byte[MasterSecret.SECRET_SIZE_IN_BYTES];
    for (int i = 0; i < s.length; i++) {
      s[i] = (byte) (seed * 37 + i * 11 + 5);
    }
    return s;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String b64(int seed) {
    return b64(secret(seed));
  }

  private static String master(int id, String state, int secretSeed) {
    return masterWithSecret(id, state, b64(secretSeed));
  }

  private static String masterWithSecret(int id, String state, String secretB64) {
    return "{\"id\": " + id + ", \"state\": \"" + state + "\", \"secret\": \"" + secretB64
        + "\", \"created_at\": \"2026-11-26T21:00:00Z\"}";
  }

  private static String realm(String name, String... masters) {
    return "{\"name\": \"" + name + "\", \"masters\": [" + String.join(", ", masters) + "]}";
  }

  private static String ring(String... realms) {
    return "{\"version\": 1, \"realms\": [" + String.join(", ", realms) + "]}";
  }

  /** A ring with one valid realm "default": primary 2 (secret 1), decrypt-only 1 (secret 2). */
  private static String validRing() {
    return ring(realm("default", master(2, "primary", 1), master(1, "decrypt-only", 2)));
  }

  private Path file(String json, String permissions) throws IOException {
    Path f = dir.resolve("keyring.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
    return f;
  }

  /** Loads a file that must be refused; checks the message names the file and holds no secret. */
  private String refused(Path f) {
    KeyRingException e = catchThrowableOfType(KeyRingException.class, () -> KeyRingFile.load(f));
    assertThat(e).as("load must refuse %s", f).isNotNull();
    String message = e.getMessage();
    assertThat(message).startsWith("key ring " + f + ": ");
    assertNoSecretIn(message);
    assertNoSecretIn(e.toString());
    return message;
  }

  private String refused(String json) throws IOException {
    return refused(file(json, OWNER_ONLY));
  }

  private static void assertNoSecretIn(String text) {
    for (byte[] s : SECRETS) {
      assertThat(text).doesNotContain(b64(s));
      assertThat(text).doesNotContain(b64(s).substring(0, 20)); // no partial echo either
      assertThat(text.toLowerCase()).doesNotContain(HexFormat.of().formatHex(s));
    }
  }

  // ---- the file itself -----------------------------------------------------------------------

  /** Making a file another user owns needs root; CI runs as root (.ci/run). */
  @Test
  void load_ownerOnlyFileOwnedByAnotherUser_isRefused_asSshRefusesSuchAKey() throws Exception {
    int ourUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    org.junit.jupiter.api.Assumptions.assumeTrue(ourUid == 0, "needs root to give the file to another user");
    Path f = file(validRing(), OWNER_ONLY);
    Files.setAttribute(f, "unix:uid", 65534);

    assertThat(refused(f)).contains("owned by uid 65534").contains("runs as uid 0").contains("chown");

    Files.setAttribute(f, "unix:uid", ourUid);
    KeyRingFile.load(f).destroy();
  }

  @Test
  void load_missingFile_isRefusedAsNotFound() {
    String message = refused(dir.resolve("absent.json"));
    assertThat(message).contains("file not found").contains("absent.json");
  }

  @Test
  void load_invalidJson_givesLineAndColumnWithoutEchoingContent() throws IOException {
    // The error sits on line 3, right after the secret: Jackson's own message would quote it.
    String json = "{\"version\": 1, \"realms\": [{\"name\": \"default\", \"masters\": [\n"
        + "  {\"id\": 2, \"state\": \"primary\", \"created_at\": \"2026-11-26T21:00:00Z\",\n"
        + "   \"secret\": \"" + b64(1) + "\" oopsTypo}\n"
        + "]}]}";
    String message = refused(json);
    int column = "   \"secret\": \"".length() + b64(1).length() + "\" ".length() + 1;
    assertThat(message).contains("not valid JSON at line 3, column " + column);
    assertThat(message).doesNotContain("oopsTypo").doesNotContain("secret");
  }

  @Test
  void load_duplicateKey_isRefusedNotLastOneWins() throws IOException {
    // A typo must not silently change security: "retired" then "primary" must not load as primary.
    String json = "{\"version\": 1, \"realms\": [{\"name\": \"default\", \"masters\": [\n"
        + "  {\"id\": 2, \"state\": \"retired\", \"secret\": \"" + b64(1) + "\",\n"
        + "   \"created_at\": \"2026-11-26T21:00:00Z\", \"state\": \"primary\"}\n"
        + "]}]}";
    assertThat(refused(json)).contains("not valid JSON at line 3, column ");
  }

  @Test
  void load_duplicateSecret_isRefusedWithoutEchoingEither() throws IOException {
    String json = ring(realm("default", master(2, "primary", 1)
        .replace("\"secret\"", "\"secret\": \"" + b64(3) + "\", \"secret\"")));
    assertThat(refused(json)).contains("not valid JSON at line 1, column ");
  }

  @Test
  void load_contentAfterTheTopLevelObject_isRefused() throws IOException {
    // e.g. two key rings concatenated by a bad merge: the second must not be silently ignored
    assertThat(refused(validRing() + "\n" + ring(realm("other", master(1, "primary", 3)))))
        .contains("not valid JSON at line 2, column ");
    assertThat(refused(validRing() + "\n\n  trailingTypo")).contains("not valid JSON at line 3, column ")
        .doesNotContain("trailingTypo");
  }

  @Test
  void load_topLevelNotAnObject_isRefused() throws IOException {
    assertThat(refused("[1, 2]")).contains("expected a JSON object at the top");
  }

  @Test
  void load_emptyFile_isRefused() throws IOException {
    assertThat(refused("")).contains("expected a JSON object at the top");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw-r--r--", "rw----r--", "rw--w----", "r--r-----", "rwx--x---"})
  void load_groupOrWorldAccessibleFile_isRefusedNamingPermissions(String permissions) throws IOException {
    Path f = file(validRing(), permissions);
    if (isRoot()) {
      Files.setAttribute(f, "unix:uid", NOBODY_UID); // group read is allowed for root's files only
    }
    String message = refused(f);
    assertThat(message)
        .contains("permissions " + permissions)
        .contains("wider than owner-only")
        .contains("chmod 600 " + f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "r--------", "rwx------"})
  void load_ownerOnlyFile_isAccepted(String permissions) throws Exception {
    KeyRing ring = KeyRingFile.load(file(validRing(), permissions));
    assertThat(ring.realms()).extracting(RealmConfig::name).containsExactly("default");
  }

  private static final int NOBODY_UID = 65534;

  private static boolean isRoot() throws IOException {
    Path probe = Files.createTempFile("owner", ".probe");
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid"));
    } finally {
      Files.delete(probe);
    }
  }

  /** A Kubernetes Secret volume with fsGroup: owner root, group the pod's, 0440 (PostgreSQL's rule). */
  @ParameterizedTest
  @ValueSource(strings = {"r--r-----", "rw-r-----"})
  void load_rootOwnedGroupReadableFile_isAccepted(String permissions) throws Exception {
    Assumptions.assumeTrue(isRoot(), "only root can make a root-owned file (CI runs as root)");
    KeyRing ring = KeyRingFile.load(file(validRing(), permissions));
    assertThat(ring.realms()).extracting(RealmConfig::name).containsExactly("default");
  }

  @ParameterizedTest
  @ValueSource(strings = {"r--rw----", "r--r--r--", "r--r-x---", "r-----r--"})
  void load_rootOwnedFile_groupWriteOrOthers_isRefused(String permissions) throws Exception {
    Assumptions.assumeTrue(isRoot(), "only root can make a root-owned file (CI runs as root)");
    assertThat(refused(file(validRing(), permissions))).contains("permissions " + permissions)
        .contains("wider than owner-only");
  }

  // ---- versions and unknown / missing fields -------------------------------------------------

  @Test
  void load_unsupportedVersion_isRefusedNamingVersion() throws IOException {
    String json = validRing().replace("\"version\": 1", "\"version\": 2");
    assertThat(refused(json)).contains("version: unsupported version 2 (this build reads version 1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "\"1\"", "1.5"})
  void load_versionNotAPositiveInteger_isRefusedNamingVersion(String version) throws IOException {
    String json = validRing().replace("\"version\": 1", "\"version\": " + version);
    assertThat(refused(json)).matches(".*: version: (expected an integer|-?\\d+ is out of range 1\\.\\.\\d+)");
  }

  static Stream<Arguments> unknownFields() {
    return Stream.of(
        Arguments.of("top", validRing().replace("\"version\": 1", "\"version\": 1, \"verison\": 1"),
            "key ring %s: unknown field \"verison\" (expected one of [realms, version])"),
        Arguments.of("realm", validRing().replace("\"name\": \"default\"",
                "\"name\": \"default\", \"epoch_second\": 60"),
            "key ring %s: " + R + ": unknown field \"epoch_second\" (expected one of "
                + "[epoch_seconds, masters, max_replay_entries, max_ticket_lifetime_seconds, name, ticket_mode])"),
        Arguments.of("master", validRing().replace("\"id\": 1,", "\"id\": 1, \"stat\": \"retired\","),
            "key ring %s: " + R + ".masters[1]: unknown field \"stat\" (expected one of "
                + "[created_at, id, secret, state])"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownFields")
  void load_unknownField_isRefusedNamingFieldAndPlace(String level, String json, String expected)
      throws IOException {
    Path f = file(json, OWNER_ONLY);
    assertThat(refused(f)).isEqualTo(expected.formatted(f));
  }

  static Stream<Arguments> missingFields() {
    String primary = master(2, "primary", 1);
    return Stream.of(
        Arguments.of("{\"realms\": [" + realm("default", primary) + "]}", "", "version"),
        Arguments.of("{\"version\": 1}", "", "realms"),
        Arguments.of(ring("{\"masters\": [" + primary + "]}"), "realms[0]: ", "name"),
        Arguments.of(ring("{\"name\": \"default\"}"), R + ": ", "masters"),
        Arguments.of(ring(realm("default", primary.replace("\"id\": 2, ", ""))), R + ".masters[0]: ", "id"),
        Arguments.of(ring(realm("default", primary.replace("\"state\": \"primary\", ", ""))),
            R + ".masters[0]: ", "state"),
        Arguments.of(ring(realm("default", primary.replace("\"secret\": \"" + b64(1) + "\", ", ""))),
            R + ".masters[0]: ", "secret"),
        Arguments.of(ring(realm("default", primary.replace(", \"created_at\": \"2026-11-26T21:00:00Z\"", ""))),
            R + ".masters[0]: ", "created_at"),
        Arguments.of(ring(realm("default", primary.replace("\"id\": 2", "\"id\": null"))),
            R + ".masters[0]: ", "id"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("missingFields")
  void load_missingRequiredField_isRefusedNamingField(String json, String where, String field)
      throws IOException {
    Path f = file(json, OWNER_ONLY);
    assertThat(refused(f)).isEqualTo("key ring " + f + ": " + where + "missing field \"" + field + "\"");
  }

  @Test
  void load_emptyRealmsOrMasters_isRefused() throws IOException {
    assertThat(refused(ring())).endsWith(": realms: expected a non-empty array of realms");
    assertThat(refused(ring(realm("default"))))
        .endsWith(": " + R + ".masters: expected a non-empty array of master secrets");
  }

  // ---- masters -------------------------------------------------------------------------------

  @Test
  void load_badBase64Secret_isRefusedNamingSecretWithoutEchoingIt() throws IOException {
    String json = ring(realm("default", master(2, "primary", 1), masterWithSecret(1, "decrypt-only", "zz*not/base64*zz")));
    String message = refused(json);
    assertThat(message).endsWith(": " + R + ".masters[1].secret: not valid base64");
    assertThat(message).doesNotContain("zz*not");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 33, 64})
  void load_secretOfWrongLength_isRefusedNamingLength(int length) throws IOException {
    byte[] wrong = new byte[length];
    for (int i = 0; i < length; i++) {
      wrong[i] = (byte) (0xA0 + i);
    }
    String json = ring(realm("default", master(2, "primary", 1), masterWithSecret(1, "decrypt-only", b64(wrong))));
    String message = refused(json);
    assertThat(message).endsWith(": " + R + ".masters[1].secret: must decode to 32 bytes, got " + length);
    if (length > 0) {
      assertThat(message).doesNotContain(b64(wrong));
    }
  }

  @Test
  void load_noPrimary_isRefusedNamingRealm() throws IOException {
    String json = ring(realm("default", master(2, "decrypt-only", 1), master(1, "retired", 2)));
    assertThat(refused(json))
        .endsWith(": " + R + ".masters: expected exactly one master in state \"primary\", found 0");
  }

  @Test
  void load_twoPrimaries_isRefusedNamingRealm() throws IOException {
    String json = ring(realm("default", master(2, "primary", 1), master(1, "primary", 2)));
    assertThat(refused(json))
        .endsWith(": " + R + ".masters: expected exactly one master in state \"primary\", found 2");
  }

  @Test
  void load_duplicateMasterId_isRefusedNamingId() throws IOException {
    String json = ring(realm("default", master(7, "primary", 1), master(3, "retired", 2),
        master(7, "decrypt-only", 3)));
    assertThat(refused(json)).endsWith(": " + R + ".masters[2]: duplicate master id 7");
  }

  @Test
  void load_duplicateRealmName_isRefusedNamingRealm() throws IOException {
    String json = ring(realm("default", master(1, "primary", 1)), realm("other", master(1, "primary", 2)),
        realm("default", master(1, "primary", 3)));
    assertThat(refused(json)).endsWith(": realms[2]: realm \"default\" appears twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"active", "Primary", "decrypt_only", ""})
  void load_unknownState_isRefusedNamingState(String state) throws IOException {
    String json = ring(realm("default", master(2, "primary", 1), master(1, state, 2)));
    assertThat(refused(json)).endsWith(": " + R + ".masters[1].state: unknown state \"" + state
        + "\" (expected primary, decrypt-only or retired)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2026-11-26 21:00:00", "2026-13-01T00:00:00Z", "2026-11-26", ""})
  void load_badCreatedAt_isRefusedNamingCreatedAt(String createdAt) throws IOException {
    String json = validRing().replaceFirst("2026-11-26T21:00:00Z", createdAt);
    assertThat(refused(json)).endsWith(": " + R + ".masters[0].created_at: "
        + "not an RFC 3339 UTC time such as 2026-11-26T21:00:00Z");
  }

  static Stream<Arguments> outOfRange() {
    long max = RealmConfig.MAX_SECONDS;
    return Stream.of(
        Arguments.of("\"epoch_seconds\": 0", R + ".epoch_seconds: 0 is out of range 1.." + max),
        Arguments.of("\"epoch_seconds\": -3600", R + ".epoch_seconds: -3600 is out of range 1.." + max),
        Arguments.of("\"epoch_seconds\": " + (max + 1), R + ".epoch_seconds: " + (max + 1)
            + " is out of range 1.." + max),
        Arguments.of("\"epoch_seconds\": 1e3", R + ".epoch_seconds: expected an integer"),
        Arguments.of("\"epoch_seconds\": 99999999999999999999", R + ".epoch_seconds: expected an integer"),
        Arguments.of("\"max_ticket_lifetime_seconds\": 0",
            R + ".max_ticket_lifetime_seconds: 0 is out of range 1.." + max),
        Arguments.of("\"max_ticket_lifetime_seconds\": " + (max + 1),
            R + ".max_ticket_lifetime_seconds: " + (max + 1) + " is out of range 1.." + max));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfRange")
  void load_realmNumberOutOfRange_isRefusedNamingField(String field, String expected) throws IOException {
    String json = validRing().replace("\"name\": \"default\"", "\"name\": \"default\", " + field);
    assertThat(refused(json)).endsWith(": " + expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 100000})
  void load_masterIdOutOfRange_isRefusedNamingId(int id) throws IOException {
    String json = ring(realm("default", master(2, "primary", 1), master(id, "retired", 2)));
    assertThat(refused(json)).endsWith(": " + R + ".masters[1].id: " + id + " is out of range 0..65535");
  }

  @Test
  void load_masterIdAtBounds_isAccepted() throws Exception {
    String json = ring(realm("default", master(0, "primary", 1), master(65535, "retired", 2)));
    KeyRing ring = KeyRingFile.load(file(json, OWNER_ONLY));
    assertThat(ring.realm("default").masters()).extracting(MasterSecret::id).containsExactly(0, 65535);
  }

  static Stream<Arguments> invalidRealmNames() {
    return Stream.of(
        Arguments.of("", "a realm name must not be empty"),
        Arguments.of("a".repeat(65), "realm name is longer than 64 bytes of UTF-8"),
        Arguments.of("\u00e9".repeat(33), "realm name is longer than 64 bytes of UTF-8"),
        Arguments.of("eu west", "realm name may hold only letters, digits, '.', '_' and '-'"),
        Arguments.of("eu/west", "realm name may hold only letters, digits, '.', '_' and '-'"),
        Arguments.of("eu:west", "realm name may hold only letters, digits, '.', '_' and '-'"),
        Arguments.of("..\\\\x", "realm name may hold only letters, digits, '.', '_' and '-'"));
  }

  @ParameterizedTest
  @MethodSource("invalidRealmNames")
  void load_invalidRealmName_isRefusedNamingProblem(String name, String problem) throws IOException {
    String json = ring(realm(name, master(1, "primary", 1)));
    assertThat(refused(json)).endsWith(": realms[0].name: " + problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "default", "eu-west_1.prod", "\u00e9t\u00e9", "\u0416\u0443\u043a"})
  void load_validRealmName_isAccepted(String name) throws Exception {
    KeyRing ring = KeyRingFile.load(file(ring(realm(name, master(1, "primary", 1))), OWNER_ONLY));
    assertThat(ring.realm(name)).isNotNull();
  }

  @Test
  void load_realmNameOf64Bytes_isAccepted() throws Exception {
    String name = "a".repeat(62) + "\u00e9"; // 62 + 2 bytes of UTF-8
    KeyRing ring = KeyRingFile.load(file(ring(realm(name, master(1, "primary", 1))), OWNER_ONLY));
    assertThat(ring.realm(name).name()).isEqualTo(name);
  }

  // ---- valid files ---------------------------------------------------------------------------

  @Test
  void load_validFile_givesRealmsMastersStatesAndDefaults() throws Exception {
    String json = """
        {
          "version": 1,
          "realms": [
            {
              "name": "default",
              "masters": [
                { "id": 2, "state": "primary",      "secret": "%s", "created_at": "2026-11-26T21:00:00Z" },
                { "id": 1, "state": "decrypt-only", "secret": "%s", "created_at": "2026-11-01T08:00:00Z" }
              ]
            },
            {
              "name": "eu-west",
              "epoch_seconds": 600,
              "max_ticket_lifetime_seconds": 7200,
              "masters": [
                { "id": 9, "state": "retired", "secret": "%s", "created_at": "2025-01-01T00:00:00Z" },
                { "id": 10, "state": "primary", "secret": "%s", "created_at": "2026-01-02T03:04:05.5Z" }
              ]
            }
          ]
        }
        """.formatted(b64(1), b64(2), b64(3), b64(4));
    KeyRing ring = KeyRingFile.load(file(json, OWNER_ONLY));

    assertThat(ring.realms()).extracting(RealmConfig::name).containsExactly("default", "eu-west");
    RealmConfig def = ring.realm("default");
    assertThat(def.epochSeconds()).isEqualTo(3600);
    assertThat(def.maxTicketLifetimeSeconds()).isEqualTo(86_400);
    assertThat(def.masters()).extracting(MasterSecret::id).containsExactly(2, 1);
    assertThat(def.masters()).extracting(MasterSecret::state)
        .containsExactly(MasterState.PRIMARY, MasterState.DECRYPT_ONLY);
    assertThat(def.masters().get(0).secretBytes()).isEqualTo(secret(1));
    assertThat(def.masters().get(1).secretBytes()).isEqualTo(secret(2));
    assertThat(def.masters().get(1).createdAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
    assertThat(def.primary().id()).isEqualTo(2);

    RealmConfig eu = ring.realm("eu-west");
    assertThat(eu.epochSeconds()).isEqualTo(600);
    assertThat(eu.maxTicketLifetimeSeconds()).isEqualTo(7200);
    assertThat(eu.masters()).extracting(MasterSecret::state)
        .containsExactly(MasterState.RETIRED, MasterState.PRIMARY);
    assertThat(eu.primary().id()).isEqualTo(10);
    assertThat(eu.primary().secretBytes()).isEqualTo(secret(4));
    assertThat(eu.primary().createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.500Z"));

    assertThat(ring.realm("absent")).isNull();
  }

  @Test
  void write_thenLoad_roundTripsAndFileIsOwnerOnly() throws Exception {
    KeyRing ring = new KeyRing(List.of(
        new RealmConfig("default", 3600, 86_400, List.of(
            new MasterSecret(5, MasterState.PRIMARY, secret(1), Instant.parse("2026-11-26T21:00:00Z")),
            new MasterSecret(4, MasterState.DECRYPT_ONLY, secret(2), Instant.parse("2026-11-01T08:00:00Z")),
            new MasterSecret(3, MasterState.RETIRED, secret(3), Instant.parse("2026-10-01T08:00:00.123Z")))),
        new RealmConfig("\u00e9t\u00e9", 60, 900, List.of(
            new MasterSecret(65535, MasterState.PRIMARY, secret(4), Instant.parse("2026-11-26T21:00:00Z"))))));
    Path f = dir.resolve("sub").resolve("keyring.json");
    // An existing, too-open file is replaced, not rewritten in place.
    Files.createDirectories(f.getParent());
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

    KeyRingFile.write(f, ring);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    try (Stream<Path> leftovers = Files.list(f.getParent())) {
      assertThat(leftovers).containsExactly(f); // no temp file left behind
    }
    KeyRing loaded = KeyRingFile.load(f);
    assertThat(loaded.realms()).hasSize(2);
    for (RealmConfig expected : ring.realms()) {
      RealmConfig actual = loaded.realm(expected.name());
      assertThat(actual).as(expected.name()).isNotNull();
      assertThat(actual.epochSeconds()).isEqualTo(expected.epochSeconds());
      assertThat(actual.maxTicketLifetimeSeconds()).isEqualTo(expected.maxTicketLifetimeSeconds());
      assertThat(actual.masters()).hasSameSizeAs(expected.masters());
      for (int i = 0; i < expected.masters().size(); i++) {
        MasterSecret e = expected.masters().get(i);
        MasterSecret a = actual.masters().get(i);
        assertThat(a.id()).isEqualTo(e.id());
        assertThat(a.state()).isEqualTo(e.state());
        assertThat(a.createdAt()).isEqualTo(e.createdAt());
        assertThat(a.secretBytes()).isEqualTo(e.secretBytes());
      }
    }
  }

  @Test
  void toString_ofKeyRingRealmAndMaster_neverShowsSecret() throws Exception {
    String json = ring(realm("default", master(2, "primary", 1), master(1, "decrypt-only", 2)),
        realm("backup", master(3, "retired", 3), master(4, "primary", 4)));
    KeyRing ring = KeyRingFile.load(file(json, OWNER_ONLY));
    List<String> printed = new ArrayList<>();
    printed.add(ring.toString());
    for (RealmConfig r : ring.realms()) {
      printed.add(r.toString());
      for (MasterSecret m : r.masters()) {
        printed.add(m.toString());
        assertThat(m.toString()).contains("id=" + m.id()).contains("secret=(hidden)");
      }
    }
    assertThat(ring.toString()).contains("name=default").contains("name=backup").contains("id=4");
    for (String s : printed) {
      assertNoSecretIn(s);
      assertThat(s).doesNotContain(java.util.Arrays.toString(secret(1)));
    }
  }

  @Test
  void destroy_zeroesEverySecret() throws Exception {
    KeyRing ring = KeyRingFile.load(file(validRing(), OWNER_ONLY));
    ring.destroy();
    for (MasterSecret m : ring.realm("default").masters()) {
      assertThat(m.secretBytes()).containsOnly(0);
    }
  }

  @Test
  void load_maxReplayEntries_isTheRealmsQuotaAndSurvivesAWrite() throws Exception {
    String json = ring(realm("default", master(2, "primary", 1)).replace("{\"name\": \"default\",",
        "{\"name\": \"default\", \"max_replay_entries\": 5000,"), realm("other", master(1, "primary", 3)));
    KeyRing ring = KeyRingFile.load(file(json, OWNER_ONLY));
    assertThat(ring.realm("default").maxReplayEntries()).isEqualTo(5000);
    assertThat(ring.realm("other").maxReplayEntries()).isEqualTo(RealmConfig.SERVER_DEFAULT_REPLAY_ENTRIES);
    Path copy = dir.resolve("copy.json");
    KeyRingFile.write(copy, ring);
    assertThat(KeyRingFile.load(copy).realm("default").maxReplayEntries()).isEqualTo(5000);
  }

  @Test
  void load_maxReplayEntriesOutOfRange_isRefusedNamingTheField() throws IOException {
    for (String bad : new String[] {"0", "-1", "1099511627777", "\"many\""}) {
      String json = ring(realm("default", master(2, "primary", 1)).replace("{\"name\": \"default\",",
          "{\"name\": \"default\", \"max_replay_entries\": " + bad + ","));
      assertThat(refused(json)).as(bad).contains("max_replay_entries");
    }
  }
}
