package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A brute force of random tokens from one address is answered 401 until {@code auth.failure.limit},
 * then 429 with Retry-After, even for a valid token; another address (a second loopback address,
 * 127.0.0.2) keeps working with its valid token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TokenBruteForceApiTest {
  private static final String INVOKE = "inv-5d0c7a9e13f2b486";
  private static final String INVOCATIONS = "/serving-endpoints/churn/invocations";
  private static final String BODY = "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}]}";
  private static final int LIMIT = 10;
  private ServingApiFixture api;

  @BeforeAll
  void start() {
    api =
        new ServingApiFixture(
            3,
            2048,
            Map.of(
                "auth.tokens",
                INVOKE + ":invoke",
                "auth.failure.limit",
                Integer.toString(LIMIT),
                "auth.failure.window.ms",
                "600000"));
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void shouldAnswer429AfterTooManyInvalidTokensFromOneAddressOnly() throws IOException {
    // Linux routes all of 127.0.0.0/8 to loopback; other systems may need 127.0.0.2 configured.
    try (var probe = new Socket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    } catch (IOException e) {
      Assumptions.abort("127.0.0.2 is not a local address here: " + e);
    }
    // The guesser is 127.0.0.2 so that the other tests' 127.0.0.1 stays unblocked.
    assertThat(getFrom("127.0.0.2", "/v2/models/churn", INVOKE)).startsWith("HTTP/1.1 200");
    var random = new Random(42);
    int unauthorized = 0;
    int limited = 0;
    String last = null;
    for (int i = 0; i < 200; i++) {
      String guess = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
      last = getFrom("127.0.0.2", "/v2/models/churn", guess);
      if (last.startsWith("HTTP/1.1 401")) {
        unauthorized++;
        assertThat(limited).as("a 401 after a 429").isZero();
      } else {
        assertThat(last).startsWith("HTTP/1.1 429");
        limited++;
      }
      assertThat(last).doesNotContain(guess);
    }
    assertThat(unauthorized).isEqualTo(LIMIT);
    assertThat(limited).isEqualTo(200 - LIMIT);
    assertThat(last.toLowerCase()).containsPattern("retry-after: [1-9][0-9]*");
    assertThat(last).contains("\"error\":\"Too many invalid bearer tokens from this address");
    // Blocked means blocked: the valid token is not even looked at, so guessing learns nothing.
    String valid = getFrom("127.0.0.2", INVOCATIONS, INVOKE);
    assertThat(valid)
        .startsWith("HTTP/1.1 429")
        .contains("\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"");
    // Health stays open to everyone.
    assertThat(getFrom("127.0.0.2", "/health/live", "x")).startsWith("HTTP/1.1 200");

    // Another address is not affected.
    Reply other = api.post(INVOCATIONS, BODY, INVOKE);
    assertThat(other.status()).as(other.body()).isEqualTo(200);
    Reply wrong = api.post(INVOCATIONS, BODY, "wrong");
    assertThat(wrong.status()).isEqualTo(401);
  }

  /** A GET over a socket bound to {@code localAddress}, answered as the raw response text. */
  private String getFrom(String localAddress, String path, String token) throws IOException {
    try (var socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), api.api.port()));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + token
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
