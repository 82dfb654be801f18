package dev.tessera.serving.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, one request per connection, so that a test can send what a proper
 * client refuses to: any method, a request target with raw or invalid percent-escapes, odd headers
 * and bodies whose Content-Length is left out or wrong.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A response: status, headers with lower-case names, body (de-chunked). */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends one request to 127.0.0.1:{@code port}; {@code target} is written as ISO-8859-1 bytes,
   * unchanged. A body gets a Content-Length unless a header already says how it is framed.
   */
  public static Response send(
      int port, String method, String target, List<String[]> headers, byte[] body)
      throws IOException {
    try (var socket = new Socket()) {
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      var head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      boolean framed = false;
      for (String[] h : headers) {
        head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        framed |=
            h[0].equalsIgnoreCase("Content-Length") || h[0].equalsIgnoreCase("Transfer-Encoding");
      }
      if (body != null && !framed) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // The server may answer (e.g. 413) and close before reading everything: read its answer.
      }
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    var bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (IOException e) {
      if (bytes.size() == 0) {
        throw e;
      }
      // A reset after the answer: keep what arrived.
    }
    return bytes.toByteArray();
  }

  private static Response parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    // Skip interim answers such as "100 Continue" (to Expect: 100-continue).
    while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
      int skip = text.indexOf("\r\n\r\n") + 4;
      raw = java.util.Arrays.copyOfRange(raw, skip, raw.length);
      text = text.substring(skip);
    }
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      throw new IOException(
          "Not an HTTP response: " + text.substring(0, Math.min(200, text.length())));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    var headers = new TreeMap<String, String>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) {
    var out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = i;
      while (lineEnd + 1 < chunked.length
          && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String sizeText = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).trim();
      int semicolon = sizeText.indexOf(';');
      int size = Integer.parseInt(semicolon < 0 ? sizeText : sizeText.substring(0, semicolon), 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
