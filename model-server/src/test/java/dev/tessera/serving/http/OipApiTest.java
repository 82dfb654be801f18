package dev.tessera.serving.http;

import static dev.tessera.serving.http.ServingApiFixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Open Inference Protocol v2: infer in both input forms, metadata, health, and every error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class OipApiTest {
  private static final String INFER = "/v2/models/churn/infer";
  private ServingApiFixture api;

  @BeforeAll
  void start() {
    api = new ServingApiFixture(3, 2048);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void shouldInferFromKeysWithRequestFieldsAndEchoTheId() {
    Reply r =
        api.post(
            INFER,
            "{\"id\":\"oip-1\",\"inputs\":["
                + "{\"name\":\"customer_id\",\"datatype\":\"BYTES\",\"shape\":[2],"
                + "\"data\":[\"C-1\",\"C-40\"]},"
                + "{\"name\":\"amount\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[9.5,20]},"
                + "{\"name\":\"lat\",\"datatype\":\"FP32\",\"shape\":[2,1],\"data\":[[1],[2]]}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("model_name").asText()).isEqualTo("churn");
    assertThat(body.get("model_version").asText()).isEqualTo("1");
    assertThat(body.get("id").asText()).isEqualTo("oip-1");
    JsonNode probability = body.at("/outputs/0");
    assertThat(probability.get("name").asText()).isEqualTo("probability");
    assertThat(probability.get("datatype").asText()).isEqualTo("FP64");
    assertThat(probability.get("shape").toString()).isEqualTo("[2]");
    assertThat(probability.at("/data/0").asDouble()).isCloseTo(expected(1, 1), within(1e-6));
    assertThat(probability.at("/data/1").asDouble()).isCloseTo(expected(40, 40), within(1e-6));
    JsonNode label = body.at("/outputs/1");
    assertThat(label.get("name").asText()).isEqualTo("label");
    assertThat(label.get("datatype").asText()).isEqualTo("INT64");
    assertThat(label.get("data").toString()).isEqualTo("[1,0]");
    assertThat(api.requestsSeen.get("C-40")).isEqualTo(Map.of("amount", 20.0, "lat", 2.0));
  }

  @Test
  void shouldInferAnEntityOfTwoKeyFieldsFromOneTensorPerField() {
    Reply r =
        api.post(
            "/v2/models/pairs/infer",
            "{\"inputs\":["
                + "{\"name\":\"user_id\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"U-3\"]},"
                + "{\"name\":\"merchant_id\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"data\":[\"M-4\"]}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/outputs/0/data/0").asDouble())
        .isCloseTo(1 / (1 + Math.exp(-(0.5 * 7 - 1))), within(1e-6));
    assertThat(api.requestsSeen).containsKey("U-3|M-4");
    assertThat(api.get("/v2/models/pairs").json().at("/inputs/1/name").asText())
        .isEqualTo("merchant_id");

    Reply half =
        api.post(
            "/v2/models/pairs/infer",
            "{\"inputs\":[{\"name\":\"user_id\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"data\":[\"U-3\"]}]}");
    assertThat(half.status()).isEqualTo(400);
    assertThat(half.body()).contains("Give a BYTES tensor for every key field");
  }

  @Test
  void shouldInferFromAFeaturesTensorWithoutLookup() {
    Reply r =
        api.post(
            INFER,
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[2,2],"
                + "\"data\":[[4,0.5],[0,0]]},"
                + "{\"name\":\"customer_id\",\"datatype\":\"BYTES\",\"shape\":[2],"
                + "\"data\":[\"C-f1\",\"C-f2\"]}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/outputs/0/data/0").asDouble())
        .isCloseTo(expected(4, 0.5), within(1e-6));
    assertThat(r.json().at("/outputs/0/data/1").asDouble()).isCloseTo(expected(0, 0), within(1e-6));
    assertThat(r.json().has("id")).isFalse();
    assertThat(api.requestsSeen).doesNotContainKeys("C-f1", "C-f2");

    Reply flat =
        api.post(
            INFER,
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP64\",\"shape\":[1,2],"
                + "\"data\":[1,2]}]}");
    assertThat(flat.json().at("/outputs/0/data/0").asDouble())
        .isCloseTo(expected(1, 2), within(1e-6));
  }

  @Test
  void shouldDescribeTheModelAndItsReadiness() {
    JsonNode meta = api.get("/v2/models/churn").json();
    assertThat(meta.get("name").asText()).isEqualTo("churn");
    assertThat(meta.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(meta.get("platform").asText()).isEqualTo("onnx");
    assertThat(meta.at("/inputs/0/name").asText()).isEqualTo("customer_id");
    assertThat(meta.at("/inputs/0/datatype").asText()).isEqualTo("BYTES");
    assertThat(meta.at("/inputs/1/name").asText()).isEqualTo("features");
    assertThat(meta.at("/inputs/1/shape").toString()).isEqualTo("[-1,2]");
    assertThat(meta.at("/outputs/0/datatype").asText()).isEqualTo("FP64");
    assertThat(meta.at("/outputs/1/datatype").asText()).isEqualTo("INT64");
    assertThat(meta.at("/parameters/feature_columns").toString())
        .isEqualTo("[\"total_orders\",\"orders_30d\"]");

    assertThat(api.get("/v2/models/churn/ready").json().get("ready").asBoolean()).isTrue();
    assertThat(api.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
    assertThat(api.get("/v2/health/ready").status()).isEqualTo(200);
    api.featuresReady[0] = false;
    try {
      assertThat(api.get("/v2/health/ready").status()).isEqualTo(503);
      assertThat(api.get("/v2/models/churn/ready").status()).isEqualTo(503);
    } finally {
      api.featuresReady[0] = true;
    }
  }

  @Test
  void shouldAnswerUnknownModelsAndRoutesWith404InTheOipShape() {
    for (Reply r :
        new Reply[] {
          api.get("/v2/models/nope"),
          api.get("/v2/models/nope/ready"),
          api.post("/v2/models/nope/infer", "{}"),
          api.get("/v2/no/such/route")
        }) {
      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.json().has("error")).as(r.body()).isTrue();
      assertThat(r.json().has("error_code")).isFalse();
    }
    assertThat(api.get("/v2/models/nope").json().get("error").asText()).contains("nope", "churn");
  }

  @Test
  void shouldRejectBadInferRequestsWithOipErrors() {
    assertError("", "Empty body");
    assertError("{nope", "not valid JSON");
    assertError("[]", "JSON object");
    assertError("{\"inputs\":[]}", "non-empty list");
    assertError("{\"inputs\":[],\"dataframe_records\":[]}", "'dataframe_records'");
    assertError("{\"id\":5,\"inputs\":[]}", "id must be a string");
    assertError("{\"inputs\":[1]}", "tensor object");
  }

  @Test
  void shouldRejectBadTensorsNamingTheProblem() {
    assertError(tensors(keys("[1]", "[\"C-1\"]", "FP32")), "must be BYTES");
    assertError(tensors(keys("[2]", "[\"C-1\"]", "BYTES")), "needs 2");
    assertError(tensors(keys("[1]", "[\"\"]", "BYTES")), "non-empty string");
    assertError(tensors(keys("[4]", "[\"a\",\"b\",\"c\",\"d\"]", "BYTES")), "at most 3");
    assertError(tensors(keys("[0]", "[]", "BYTES")), "no rows");
    assertError(tensors(keys("[-1]", "[\"C-1\"]", "BYTES")), "invalid shape");
    assertError(
        tensors(keys("[1]", "[\"C-1\"]", "BYTES"), keys("[1]", "[\"C-1\"]", "BYTES")),
        "Two input tensors");
    assertError(
        tensors(keys("[1]", "[\"C-1\"]", "BYTES"), field("amount", "BYTES", "[1]", "[\"x\"]")),
        "must be numeric");
    assertError(
        tensors(keys("[1]", "[\"C-1\"]", "BYTES"), field("amount", "FP64", "[1]", "[\"x\"]")),
        "amount' element 0 must be a finite number");
    assertError(
        tensors(keys("[1]", "[\"C-1\"]", "BYTES"), field("amount", "FP64", "[2]", "[1,2]")),
        "shape [1]");
    assertError(
        tensors(field("amount", "FP64", "[1]", "[1]")), "Give a BYTES tensor 'customer_id'");
    assertError(tensors(field("features", "FP32", "[1,3]", "[1,2,3]")), "[N, 2]");
    assertError(tensors(field("features", "BYTES", "[1,2]", "[\"a\",\"b\"]")), "FP32");
    assertError(
        tensors(field("features", "FP32", "[1,2]", "[1,2]"), field("amount", "FP64", "[1]", "[1]")),
        "only 'customer_id'");
    assertError(tensors(field("features", "FP32", "[1,2]", "[[[1,2]]]")), "nested deeper");
    assertError(
        "{\"inputs\":[{\"name\":\"customer_id\",\"datatype\":\"BYTES\",\"shape\":[1],"
            + "\"data\":[\"C-1\"],\"extra\":1}]}",
        "'extra'");
  }

  @Test
  void shouldAnswer413ForAnOversizeBodyInTheOipShape() {
    Reply big = api.post(INFER, "{\"x\":\"" + "a".repeat(3000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().has("error")).as(big.body()).isTrue();
  }

  private static String tensors(String... tensors) {
    return "{\"inputs\":[" + String.join(",", tensors) + "]}";
  }

  private static String keys(String shape, String data, String datatype) {
    return field("customer_id", datatype, shape, data);
  }

  private static String field(String name, String datatype, String shape, String data) {
    return "{\"name\":\""
        + name
        + "\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}";
  }

  private void assertError(String body, String mentions) {
    Reply r = api.post(INFER, body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).as(r.body()).contains(mentions);
    assertThat(r.json().has("error_code")).isFalse();
    assertThat(r.body()).doesNotContain("Exception");
  }
}
