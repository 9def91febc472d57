package dev.ticketoffload.server.cli;

import java.net.UnknownHostException;

/**
 * Settings that would silently weaken security, refused before anything binds: a realm policy
 * nobody could enforce, metrics in plain HTTP off loopback.
 */
final class FailOpenChecks {

  private FailOpenChecks() {}

  static void check(ServeOptions o) throws Daemon.StartupException, UnknownHostException {
    if (o.realmPolicy != null && o.clientCa == null) {
      // Without client certificates there is no identity to look up: the policy would be ignored
      // and every caller could use every realm.
      throw new Daemon.StartupException("--realm-policy " + o.realmPolicy + " needs --client-ca (with --tls-cert and "
          + "--tls-key): without client certificates no identity can be checked, and every caller could use every realm");
    }
    if (o.metricsListen != null) {
      HostPort metrics;
      try {
        metrics = HostPort.parse(o.metricsListen);
      } catch (IllegalArgumentException e) {
        throw new Daemon.StartupException("--metrics-listen: " + e.getMessage());
      }
      if (!metrics.isLoopback() && !o.insecure) {
        throw new Daemon.StartupException("refusing to serve metrics on non-loopback address " + metrics
            + ": they are plain HTTP without authentication and name realms, key ids and seal counts; "
            + "bind them to 127.0.0.1 (scrape through a local agent), or pass --insecure if the network is trusted");
      }
    }
  }
}
