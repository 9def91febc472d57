package dev.ticketoffload.server.keys;

import dev.ticketoffload.core.keys.KeyRing;
import dev.ticketoffload.core.keys.MasterSecret;
import dev.ticketoffload.core.keys.RealmConfig;
import java.util.StringJoiner;

/** A one-line description of a key ring for logs: realms and master ids with their states, no secrets. */
public final class KeyRingSummary {

  private KeyRingSummary() {}

  public static String of(KeyRing ring) {
    StringJoiner realms = new StringJoiner("; ");
    for (RealmConfig r : ring.realms()) {
      StringJoiner masters = new StringJoiner(", ");
      for (MasterSecret m : r.masters()) {
        masters.add(m.id() + " " + m.state().jsonName());
      }
      realms.add("realm " + r.name() + " (epoch " + r.epochSeconds() + " s, max lifetime "
          + r.maxTicketLifetimeSeconds() + " s, ticket_mode " + r.ticketMode().jsonName() + ", masters " + masters + ")");
    }
    return realms.toString();
  }
}
