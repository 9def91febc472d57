package dev.ticketoffload.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code HOST:PORT} as given on the command line ({@code [v6]:PORT} for IPv6 literals). */
public record HostPort(String host, int port) {

  public static HostPort parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got \"" + s + "\"");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a port number in \"" + s + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    return new HostPort(host, port);
  }

  public InetSocketAddress resolve() throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }

  /** Loopback only: 127.0.0.0/8, ::1, localhost. A wildcard address is not loopback. */
  public boolean isLoopback() throws UnknownHostException {
    return InetAddress.getByName(host).isLoopbackAddress();
  }

  public String withPort(int actualPort) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort;
  }

  @Override
  public String toString() {
    return withPort(port);
  }
}
