package dev.tessera.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that sends pre-encoded requests and reads whole responses: the
 * least a load generator can spend per request, so that on a small machine the CPU goes to the
 * server it measures. Not thread-safe; a load generator keeps one per worker.
 *
 * <pre>{@code
 * byte[] request = HttpConnection.post("127.0.0.1", 8080, "/noop", "{}");
 * try (var c = new HttpConnection("127.0.0.1", 8080)) {
 *   int status = c.send(request);
 * }
 * }</pre>
 */
final class HttpConnection implements AutoCloseable {
  private static final int TIMEOUT_MS = 10_000;

  private final String host;
  private final int port;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
  private Socket socket;
  private OutputStream out;
  private Input in;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The bytes of a {@code POST} of a JSON body, ready for {@link #send}. */
  static byte[] post(String host, int port, String path, String json) {
    byte[] content = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + content.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + content.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    return request;
  }

  /** Sends {@code request} and reads the whole response; returns its status code. */
  int send(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      Response r = read(in, body);
      if (!r.keepAlive()) {
        close();
      }
      return r.status();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The body of the last response (for checks, not on the measured path). */
  String lastBody() {
    return body.toString(StandardCharsets.UTF_8);
  }

  private void connect() throws IOException {
    var s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(TIMEOUT_MS);
    s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
    socket = s;
    out = s.getOutputStream();
    in = new Input(s.getInputStream());
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a connection that failed: nothing left to do
      }
      socket = null;
    }
  }

  /**
   * @param status the status code
   * @param keepAlive whether the connection can carry another request
   */
  record Response(int status, boolean keepAlive) {}

  /**
   * Reads one response from {@code in}: status line, headers, and a body framed by {@code
   * Content-Length} or chunked transfer coding, which goes into {@code body}.
   */
  static Response read(InputStream stream, ByteArrayOutputStream body) throws IOException {
    return read(new Input(stream), body);
  }

  private static Response read(Input in, ByteArrayOutputStream body) throws IOException {
    body.reset();
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("Not an HTTP/1.x status line: '" + statusLine + "'");
    }
    int status = Integer.parseInt(parts[1]);
    boolean keepAlive = parts[0].equals("HTTP/1.1");
    long length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        throw new IOException("Malformed header line: '" + header + "'");
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" -> keepAlive = !value.contains("close");
        default -> {}
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(chunkSize(line(in)), 16);
          size > 0;
          size = Long.parseLong(chunkSize(line(in)), 16)) {
        copy(in, body, size);
        line(in); // the CRLF after each chunk
      }
      while (!line(in).isEmpty()) {
        // trailers: none expected, skipped
      }
    } else if (length >= 0) {
      copy(in, body, length);
    } else {
      throw new IOException("Response " + status + " has neither Content-Length nor chunks");
    }
    return new Response(status, keepAlive);
  }

  private static String chunkSize(String line) {
    int ext = line.indexOf(';');
    return (ext < 0 ? line : line.substring(0, ext)).strip();
  }

  private static void copy(Input in, ByteArrayOutputStream to, long n) throws IOException {
    for (long i = 0; i < n; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Response body ended after " + i + " of " + n + " bytes");
      }
      to.write(b);
    }
  }

  /** One CRLF-terminated line, without the CRLF. */
  private static String line(Input in) throws IOException {
    var sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Connection closed in a response line after '" + sb + "'");
      }
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
    }
  }

  /** A buffer over the socket without {@code BufferedInputStream}'s lock per byte. */
  private static final class Input {
    private final InputStream stream;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    Input(InputStream stream) {
      this.stream = stream;
    }

    int read() throws IOException {
      if (position == limit) {
        limit = stream.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buffer[position++] & 0xff;
    }
  }
}
