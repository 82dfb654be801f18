package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

  private static HttpConnection.Response read(String wire, ByteArrayOutputStream body)
      throws IOException {
    return HttpConnection.read(
        new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), body);
  }

  @Test
  void shouldEncodeAPostWithItsContentLengthInBytes() {
    byte[] request = HttpConnection.post("127.0.0.1", 8080, "/x", "{\"k\":\"é\"}");

    assertThat(new String(request, StandardCharsets.UTF_8))
        .isEqualTo(
            "POST /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10\r\n\r\n{\"k\":\"é\"}");
  }

  @Test
  void shouldReadABodyOfContentLengthAndKeepTheConnection() throws IOException {
    var body = new ByteArrayOutputStream();
    var r =
        read(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                + "{\"a\":1}HTTP/1.1 next response",
            body);

    assertThat(r).isEqualTo(new HttpConnection.Response(200, true));
    assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void shouldReadAChunkedBody() throws IOException {
    var body = new ByteArrayOutputStream();
    var r =
        read(
            "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n",
            body);

    assertThat(r.status()).isEqualTo(503);
    assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void shouldNotKeepAConnectionTheServerCloses() throws IOException {
    var r =
        read(
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            new ByteArrayOutputStream());

    assertThat(r).isEqualTo(new HttpConnection.Response(400, false));
  }

  @Test
  void shouldFailOnATruncatedResponse() {
    assertThatThrownBy(
            () ->
                read(
                    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"",
                    new ByteArrayOutputStream()))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("4 of 10");
  }
}
