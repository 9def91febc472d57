package dev.ticketoffload.server.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The marshallers of Open and OpenStream on the server: requests are read straight from the
 * transport's bytes into a {@link WireOpenRequest}, answers are the bytes of a {@link WireOpenResponse},
 * drained into the transport's buffer in one write. The bytes on the wire are exactly protobuf's;
 * only the server's Java objects differ (no message, builder or {@code ByteString} per item).
 *
 * <p>The request parser never throws: bytes that are not an {@code OpenRequest} give a request whose
 * {@link WireOpenRequest#problem()} the service answers with {@code INVALID_ARGUMENT}, as
 * {@link MalformedRequests} does for the other methods.
 */
final class OpenWireMarshallers {

  private OpenWireMarshallers() {}

  static final MethodDescriptor.Marshaller<WireOpenRequest> REQUESTS = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(WireOpenRequest request) {
      return new EncodedMessage(request.bytes(), false);
    }

    @Override
    public WireOpenRequest parse(InputStream stream) {
      return WireOpenRequest.parse(readAll(stream));
    }
  };

  static final MethodDescriptor.Marshaller<WireOpenResponse> RESPONSES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(WireOpenResponse response) {
      return new EncodedMessage(response.bytes(), true);
    }

    @Override
    public WireOpenResponse parse(InputStream stream) {
      return new WireOpenResponse(readAll(stream));
    }
  };

  /** The message's bytes; gRPC's streams know their length, so it is read in one array of that size. */
  private static byte[] readAll(InputStream stream) {
    try {
      if (stream instanceof KnownLength) {
        byte[] bytes = new byte[stream.available()];
        int at = 0;
        for (int n; at < bytes.length && (n = stream.read(bytes, at, bytes.length - at)) > 0; ) {
          at += n;
        }
        if (at == bytes.length && stream.read() == -1) {
          return bytes;
        }
        // A length that lied: fall back to reading whatever is there (never seen with gRPC's own streams).
        byte[] rest = stream.readAllBytes();
        byte[] all = Arrays.copyOf(bytes, at + rest.length);
        System.arraycopy(rest, 0, all, at, rest.length);
        return all;
      }
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An encoded message for the transport: its length is known (gRPC writes the frame header first)
   * and it drains into the transport's output in one write. An answer is wiped once it has been
   * drained or read to its end: it holds opened states, SK_d included.
   */
  private static final class EncodedMessage extends InputStream implements KnownLength, Drainable {

    private final byte[] bytes;
    private final boolean wipe;
    private int at;

    EncodedMessage(byte[] bytes, boolean wipe) {
      this.bytes = bytes;
      this.wipe = wipe;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = bytes.length - at;
      target.write(bytes, at, n);
      at = bytes.length;
      done();
      return n;
    }

    @Override
    public int available() {
      return bytes.length - at;
    }

    @Override
    public int read() {
      if (at == bytes.length) {
        return -1;
      }
      int b = bytes[at++] & 0xFF;
      if (at == bytes.length) {
        done();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (at == bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      if (at == bytes.length) {
        done();
      }
      return n;
    }

    private void done() {
      if (wipe) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }
}
