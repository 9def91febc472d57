package dev.ticketoffload.api.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Resolves its one target to a fixed list of server addresses, one address group each, so
 * {@code round_robin} spreads batches over all of them. It lives in a registry private to one
 * client: nothing global is registered.
 */
final class StaticAddressesResolverProvider extends NameResolverProvider {

  static final String SCHEME = "ticketoffload-static";

  private final List<EquivalentAddressGroup> groups;
  private final String authority;

  StaticAddressesResolverProvider(List<InetSocketAddress> addresses, String authority) {
    this.groups = addresses.stream().map(EquivalentAddressGroup::new).toList();
    this.authority = authority;
  }

  String target() {
    return SCHEME + ":///" + authority;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    return new NameResolver() {
      private Listener2 listener;

      @Override
      public String getServiceAuthority() {
        return authority;
      }

      @Override
      public void start(Listener2 listener) {
        this.listener = listener;
        refresh();
      }

      @Override
      public void refresh() {
        listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
      }

      @Override
      public void shutdown() {}
    };
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
