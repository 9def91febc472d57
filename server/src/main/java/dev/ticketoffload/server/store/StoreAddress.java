package dev.ticketoffload.server.store;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --store}: {@code memory}, or {@code redis://HOST:PORT[,HOST:PORT...]} ({@code rediss://}
 * for TLS). One address is a standalone server or a Cluster seed (the server says which); several
 * are Cluster seeds. Parsing refuses anything else with a message naming the problem; a password
 * never goes here ({@code --store-password-file}).
 */
public record StoreAddress(boolean memory, boolean tls, List<Node> nodes) {

  /** One {@code HOST:PORT}. */
  public record Node(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public static final StoreAddress MEMORY = new StoreAddress(true, false, List.of());

  public static StoreAddress parse(String value) {
    if (value == null || value.equals("memory")) {
      return MEMORY;
    }
    boolean tls;
    String rest;
    if (value.startsWith("redis://")) {
      tls = false;
      rest = value.substring("redis://".length());
    } else if (value.startsWith("rediss://")) {
      tls = true;
      rest = value.substring("rediss://".length());
    } else {
      throw new IllegalArgumentException("--store: expected memory, redis://HOST:PORT[,HOST:PORT...] or "
          + "rediss://..., got a value with an unknown scheme");
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.contains("@") || rest.contains("/") || rest.contains("?")) {
      throw new IllegalArgumentException("--store: only HOST:PORT[,HOST:PORT...] after the scheme (no user, "
          + "password, database or options: the password comes from --store-password-file)");
    }
    List<Node> nodes = new ArrayList<>();
    for (String part : rest.split(",", -1)) {
      nodes.add(node(part));
    }
    return new StoreAddress(false, tls, List.copyOf(nodes));
  }

  private static Node node(String part) {
    int colon = part.lastIndexOf(':');
    if (part.isEmpty() || colon <= 0 || colon == part.length() - 1) {
      throw new IllegalArgumentException("--store: \"" + part + "\" is not HOST:PORT");
    }
    String host = part.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(part.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535 || host.isEmpty()) {
      throw new IllegalArgumentException("--store: \"" + part + "\" is not HOST:PORT with a port 1..65535");
    }
    return new Node(host, port);
  }

  @Override
  public String toString() {
    if (memory) {
      return "memory";
    }
    return (tls ? "rediss://" : "redis://") + String.join(",", nodes.stream().map(Node::toString).toList());
  }
}
