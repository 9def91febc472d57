package dev.ticketoffload.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A gRPC client over a raw HTTP/2 socket that sends calls and then never reads: it grants the server
 * no flow-control window for answers (SETTINGS_INITIAL_WINDOW_SIZE 0), acknowledges the server's
 * settings once, and after that reads nothing, so it answers no ping either. What a gateway that
 * hung, or an attacker, looks like to the server. Headers use HPACK literals, no table.
 */
public final class NonReadingHttp2Client implements AutoCloseable {

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int SETTINGS = 4;
  private static final int GOAWAY = 7;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int ACK = 0x1;
  private static final int SETTINGS_ENABLE_PUSH = 0x2;
  private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  private static final int MAX_FRAME_PAYLOAD = 16_384;

  private final Socket socket;
  private final OutputStream out;
  private final int port;
  private int nextStreamId = 1;

  public NonReadingHttp2Client(int port) throws IOException {
    this.port = port;
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    out.write(PREFACE);
    ByteBuffer settings = ByteBuffer.allocate(12);
    settings.putShort((short) SETTINGS_ENABLE_PUSH).putInt(0);
    settings.putShort((short) SETTINGS_INITIAL_WINDOW_SIZE).putInt(0); // no room for any answer
    frame(SETTINGS, 0, 0, settings.array());
    awaitServerSettings();
    frame(SETTINGS, ACK, 0, new byte[0]);
    out.flush();
  }

  /** Reads frames until the server's first SETTINGS; the last read this client ever does, but one. */
  private void awaitServerSettings() throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    while (true) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      in.readInt();
      in.skipNBytes(length);
      if (type == SETTINGS && (flags & ACK) == 0) {
        return;
      }
    }
  }

  /** Starts a unary call of {@code method} ({@code /package.Service/Method}) with one request message. */
  public void call(String method, byte[] request) throws IOException {
    int stream = nextStreamId;
    nextStreamId += 2;
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":method", "POST");
    header(headers, ":scheme", "http");
    header(headers, ":path", method);
    header(headers, ":authority", "127.0.0.1:" + port);
    header(headers, "content-type", "application/grpc");
    header(headers, "te", "trailers");
    frame(HEADERS, END_HEADERS, stream, headers.toByteArray());
    ByteBuffer message = ByteBuffer.allocate(5 + request.length);
    message.put((byte) 0).putInt(request.length).put(request); // gRPC framing: uncompressed, length
    byte[] body = message.array();
    for (int at = 0; at < body.length; at += MAX_FRAME_PAYLOAD) {
      int n = Math.min(MAX_FRAME_PAYLOAD, body.length - at);
      byte[] chunk = java.util.Arrays.copyOfRange(body, at, at + n);
      frame(DATA, at + n == body.length ? END_STREAM : 0, stream, chunk);
    }
    out.flush();
  }

  /**
   * Starts reading again and waits up to {@code millis} for the server to give up on this connection:
   * a GOAWAY frame, or the connection closed or reset.
   */
  public boolean cutByServerWithin(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    try {
      while (true) {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        in.skipNBytes(5 + length); // flags, stream id, payload
        if (type == GOAWAY) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.io.EOFException | java.net.SocketException e) {
      return true; // closed or reset
    }
  }

  private static void header(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00); // literal header field without indexing, new name
    literal(block, name);
    literal(block, value);
  }

  private static void literal(ByteArrayOutputStream block, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    if (b.length >= 127) {
      throw new IllegalArgumentException("header too long for this client: " + s);
    }
    block.write(b.length); // no Huffman, 7-bit length
    block.write(b, 0, b.length);
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(9);
    header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    header.put((byte) type).put((byte) flags).putInt(stream);
    out.write(header.array());
    out.write(payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
