package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random JSON bodies (random nesting, types and sizes, biased towards the field and tensor
 * names the codecs look for) POSTed to every serving route: the answer is never a 5xx, always JSON
 * in the route's error shape or a 200.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class InvocationFuzzTest {
  private static final long SEED = 20261122L;
  private static final int BODIES = 2_000;
  private static final List<String> ROUTES =
      List.of(
          "/serving-endpoints/churn/invocations",
          "/serving-endpoints/nope/invocations",
          "/v2/models/churn/infer",
          "/v2/models/nope/infer");
  private static final String[] NAMES = {
    "dataframe_records",
    "dataframe_split",
    "instances",
    "inputs",
    "client_request_id",
    "columns",
    "data",
    "index",
    "customer_id",
    "amount",
    "lat",
    "total_orders",
    "orders_30d",
    "id",
    "name",
    "shape",
    "datatype",
    "features",
    "parameters",
    "outputs",
    "x",
    ""
  };
  private static final String[] STRINGS = {
    "C-1",
    "C-2",
    "",
    "BYTES",
    "FP32",
    "FP64",
    "INT64",
    "customer_id",
    "features",
    "amount",
    "é\u0000"
  };

  private ServingApiFixture api;

  @BeforeAll
  void start() {
    api = new ServingApiFixture(5, 4096);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void shouldNeverAnswerA5xxToRandomBodies() {
    var random = new Random(SEED);
    int ok = 0;
    for (int i = 0; i < BODIES; i++) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      int pick = random.nextInt(20);
      String body =
          pick == 0
              ? garbage(random)
              : pick < 10 ? template(random, route) : value(random, 0).toString();
      Reply r = api.post(route, body);
      assertThat(r.status())
          .as("#" + i + " " + route + " " + body + " -> " + r.body())
          .isLessThan(500);
      String shape = route.startsWith("/v2/") ? "error" : "error_code";
      if (r.status() == 200) {
        ok++;
      } else {
        assertThat(r.json().has(shape)).as(body + " -> " + r.body()).isTrue();
      }
    }
    // The generator reaches valid requests too, not only the first validation step.
    assertThat(ok).isGreaterThan(100);
  }

  /**
   * A valid body of the route's protocol with each slot kept valid (70%) or replaced by a random
   * value, so that the fuzz also reaches the checks behind the first one.
   */
  private static String template(Random random, String route) {
    String[][] templates =
        route.startsWith("/v2/")
            ? new String[][] {
              {
                "{\"id\":@,\"inputs\":[{\"name\":\"customer_id\",\"datatype\":@,\"shape\":@,"
                    + "\"data\":@},{\"name\":@,\"datatype\":\"FP64\",\"shape\":[1],\"data\":@}]}",
                "\"r\"",
                "\"BYTES\"",
                "[1]",
                "[\"C-1\"]",
                "\"amount\"",
                "[2.5]"
              },
              {
                "{\"inputs\":[{\"name\":\"features\",\"datatype\":@,\"shape\":@,\"data\":@}]}",
                "\"FP32\"",
                "[2,2]",
                "[[1,2],[3,4]]"
              }
            }
            : new String[][] {
              {
                "{\"dataframe_records\":[{\"customer_id\":@,\"amount\":@}],\"client_request_id\":@}",
                "\"C-1\"",
                "3.5",
                "\"c\""
              },
              {
                "{\"dataframe_split\":{\"columns\":@,\"data\":@}}",
                "[\"total_orders\",\"orders_30d\"]",
                "[[1,2]]"
              },
              {"{\"instances\":[@,@]}", "\"C-2\"", "[1,2]"},
              {"{\"inputs\":{\"customer_id\":@,\"lat\":@}}", "[\"C-3\"]", "[1.5]"}
            };
    String[] t = templates[random.nextInt(templates.length)];
    var sb = new StringBuilder();
    int slot = 1;
    for (char c : t[0].toCharArray()) {
      if (c == '@') {
        sb.append(random.nextInt(10) < 7 ? t[slot] : value(random, 1));
        slot++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String garbage(Random random) {
    var sb = new StringBuilder();
    int n = random.nextInt(40);
    for (int i = 0; i < n; i++) {
      sb.append("{}[]\",:0-9eE.a\\ntrue".charAt(random.nextInt(20)));
    }
    return sb.toString();
  }

  private static StringBuilder value(Random random, int depth) {
    var sb = new StringBuilder();
    int kind = depth > 4 ? 3 + random.nextInt(5) : random.nextInt(depth == 0 ? 3 : 8);
    switch (kind) {
      case 0, 1 -> { // object
        sb.append('{');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append('"').append(NAMES[random.nextInt(NAMES.length)]).append("\":");
          sb.append(value(random, depth + 1));
        }
        sb.append('}');
      }
      case 2 -> { // list
        sb.append('[');
        int n = random.nextInt(random.nextInt(10) == 0 ? 12 : 4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(value(random, depth + 1));
        }
        sb.append(']');
      }
      case 3 ->
          sb.append('"')
              .append(STRINGS[random.nextInt(STRINGS.length)].replace("\u0000", "\\u0000"))
              .append('"');
      case 4 -> sb.append(random.nextInt(7) - 2);
      case 5 ->
          sb.append(
              random.nextBoolean() ? random.nextDouble() * 1e3 : random.nextGaussian() * 1e300);
      case 6 -> sb.append(random.nextBoolean() ? "null" : "true");
      default -> sb.append(random.nextBoolean() ? "[]" : "{}");
    }
    return sb;
  }
}
