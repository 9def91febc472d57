package dev.ticketoffload.server.tls;

import io.grpc.Context;
import java.util.Set;

/**
 * The realms the caller of the current call may use, as established from its client certificate.
 * Absent from the context (no realm policy configured) means every realm.
 */
public record RealmAccess(String identity, Set<String> realms) {

  public static final Context.Key<RealmAccess> CONTEXT_KEY = Context.key("ticketoffload-realm-access");

  public boolean allows(String realm) {
    return realms.contains(realm) || realms.contains("*");
  }

  /** @return the access of the current call, or {@code null} when no policy applies */
  public static RealmAccess current() {
    return CONTEXT_KEY.get();
  }
}
