package dev.ticketoffload.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Which realms each client identity may use: {@code --realm-policy FILE}, a properties file of
 * {@code identity = realm[,realm...]} lines, where identity is a certificate subject CN or SAN and
 * {@code *} as a realm means all. A client matching no line may use no realm.
 */
public final class RealmPolicy {

  private final Map<String, Set<String>> realmsByIdentity;

  public RealmPolicy(Map<String, Set<String>> realmsByIdentity) {
    this.realmsByIdentity = Map.copyOf(realmsByIdentity);
  }

  public static RealmPolicy load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, Set<String>> byIdentity = new HashMap<>();
    for (String identity : p.stringPropertyNames()) {
      Set<String> realms = new LinkedHashSet<>();
      for (String realm : p.getProperty(identity).split(",")) {
        if (!realm.isBlank()) {
          realms.add(realm.strip());
        }
      }
      byIdentity.put(identity, realms);
    }
    return new RealmPolicy(byIdentity);
  }

  /** The access of a client with these certificate names: the union of every matching line. */
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
