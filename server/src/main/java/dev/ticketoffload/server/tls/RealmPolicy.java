package dev.ticketoffload.server.tls;

import dev.ticketoffload.core.keys.RealmConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which realms each client identity may use: {@code --realm-policy FILE}, one line per identity,
 *
 * <pre>
 * # comment
 * KIND:VALUE = realm[,realm...]
 * </pre>
 *
 * where KIND is {@code cn}, {@code dns}, {@code uri}, {@code ip} or {@code email} ({@link IdentityKind})
 * and {@code *} as a realm means all. The line is split at its last {@code =} (realm names cannot
 * hold one; a URI may), the identity at its first {@code :}. Anything else is an error naming the
 * line: an unknown or missing kind, an empty value, a realm name that is not valid, an identity
 * given twice. A client matching no line may use no realm.
 */
public final class RealmPolicy {

  private final Map<String, Set<String>> realmsByIdentity;

  public RealmPolicy(Map<String, Set<String>> realmsByIdentity) {
    this.realmsByIdentity = Map.copyOf(realmsByIdentity);
  }

  /**
   * @throws IllegalArgumentException naming the file and line when the file cannot be read or a line is wrong
   */
  public static RealmPolicy load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("realm policy " + file + ": cannot read it: " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("realm policy " + file + ": not UTF-8 text");
    }
    return parse(text, file.toString());
  }

  /**
   * @param source names the text in errors (the file)
   * @throws IllegalArgumentException naming {@code source} and the line of the first error
   */
  public static RealmPolicy parse(String text, String source) {
    Map<String, Set<String>> byIdentity = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "realm policy " + source + " line " + lineNumber + ": ";
      int equals = line.lastIndexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException(where + "expected KIND:VALUE = realm[,realm...]");
      }
      String identity = identityKey(line.substring(0, equals).strip(), where);
      Set<String> realms = realms(line.substring(equals + 1), where);
      Integer earlier = lineOf.putIfAbsent(identity, lineNumber);
      if (earlier != null) {
        throw new IllegalArgumentException(where + "identity " + identity + " is already given on line " + earlier);
      }
      byIdentity.put(identity, realms);
    }
    return new RealmPolicy(byIdentity);
  }

  private static String identityKey(String identity, String where) {
    int colon = identity.indexOf(':');
    IdentityKind kind = colon < 0 ? null : IdentityKind.ofPrefix(identity.substring(0, colon).strip());
    if (kind == null) {
      throw new IllegalArgumentException(where + "the identity must start with its kind, one of cn:, dns:, uri:, ip:, "
          + "email: (e.g. uri:spiffe://example.org/gw-a), got \"" + identity + "\"");
    }
    String value = identity.substring(colon + 1).strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(where + kind.prefix() + ": needs a value");
    }
    try {
      return kind.key(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + kind.prefix() + ": " + e.getMessage());
    }
  }

  private static Set<String> realms(String list, String where) {
    Set<String> realms = new LinkedHashSet<>();
    for (String part : list.split(",", -1)) {
      String realm = part.strip();
      String problem = realm.equals("*") ? null : RealmConfig.checkName(realm);
      if (problem != null) {
        throw new IllegalArgumentException(where + "realm \"" + realm + "\": " + problem);
      }
      realms.add(realm);
    }
    return Set.copyOf(realms);
  }

  /** The access of a client with these certificate names (policy keys): the union of every matching line. */
  public RealmAccess accessFor(List<String> names) {
    Set<String> realms = new LinkedHashSet<>();
    for (String name : names) {
      realms.addAll(realmsByIdentity.getOrDefault(name, Set.of()));
    }
    return new RealmAccess(names.isEmpty() ? "(no name)" : names.getFirst(), Set.copyOf(realms));
  }

  public int size() {
    return realmsByIdentity.size();
  }
}
