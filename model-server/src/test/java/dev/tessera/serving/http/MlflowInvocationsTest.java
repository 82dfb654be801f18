package dev.tessera.serving.http;

import static dev.tessera.serving.http.ServingApiFixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.schemas.Prediction;
import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Every MLflow request format and error path of /serving-endpoints/{name}/invocations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MlflowInvocationsTest {
  private static final String PATH = "/serving-endpoints/churn/invocations";
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
  void shouldScoreDataframeRecordsByLookupAndEchoTheClientId() {
    Reply r =
        api.post(
            PATH,
            "{\"dataframe_records\":[{\"customer_id\":\"C-1\"},{\"customer_id\":\"X\"}],"
                + "\"client_request_id\":\"req-1\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode p = r.json().get("predictions");
    assertPrediction(p.get(0), "C-1", expected(1, 1));
    assertThat(p.get(0).get("features_found").asBoolean()).isTrue();
    assertPrediction(p.get(1), "X", expected(0, 0));
    assertThat(p.get(1).get("features_found").asBoolean()).isFalse();
    assertThat(r.json().get("client_request_id").asText()).isEqualTo("req-1");
  }

  @Test
  void shouldLookUpAnEntityOfTwoKeyFieldsByBothAndEchoThem() {
    Reply r =
        api.post(
            "/serving-endpoints/pairs/invocations",
            "{\"dataframe_records\":[{\"user_id\":\"U-1\",\"merchant_id\":\"M-2\",\"amount\":5},"
                + "{\"merchant_id\":\"M-1\",\"user_id\":7}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode p = r.json().get("predictions");
    assertThat(p.get(0).get("user_id").asText()).isEqualTo("U-1");
    assertThat(p.get(0).get("merchant_id").asText()).isEqualTo("M-2");
    // transactions_1d is 1 + 2 for the pair (U-1, M-2): 1 / (1 + e^-(0.5 * 3 - 1))
    assertThat(p.get(0).get("probability").asDouble())
        .isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-6));
    assertThat(api.requestsSeen.get("U-1|M-2")).isEqualTo(Map.of("amount", 5.0));
    assertThat(p.get(1).get("user_id").asText()).isEqualTo("7");
    assertThat(api.requestsSeen).containsKey("7|M-1");

    Reply half =
        api.post(
            "/serving-endpoints/pairs/invocations",
            "{\"dataframe_records\":[{\"user_id\":\"U-1\"}]}");
    assertThat(half.status()).isEqualTo(400);
    assertThat(half.json().get("message").asText())
        .isEqualTo(
            "dataframe_records[0] needs every key field [user_id, merchant_id]; missing"
                + " [merchant_id]");
  }

  @Test
  void shouldPassRequestFieldsToTheLookupAndIgnoreThemWhenTheModelDoesNotUseThem() {
    Reply r =
        api.post(
            PATH,
            "{\"dataframe_records\":[{\"customer_id\":\"C-7\",\"amount\":250.5,\"lat\":52.5}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertPrediction(r.json().at("/predictions/0"), "C-7", expected(7, 7));
    assertThat(api.requestsSeen.get("C-7")).isEqualTo(Map.of("amount", 250.5, "lat", 52.5));
  }

  @Test
  void shouldScoreAFullFeatureVectorWithoutLookup() {
    Reply r =
        api.post(
            PATH,
            "{\"dataframe_records\":[{\"customer_id\":\"C-vec\",\"total_orders\":4,"
                + "\"orders_30d\":0.5},{\"total_orders\":0,\"orders_30d\":0}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode p = r.json().get("predictions");
    assertPrediction(p.get(0), "C-vec", expected(4, 0.5));
    assertThat(p.get(0).has("features_found")).isFalse();
    assertThat(p.get(1).has("customer_id")).isFalse();
    assertThat(p.get(1).get("probability").asDouble()).isCloseTo(expected(0, 0), within(1e-6));
    assertThat(api.requestsSeen).doesNotContainKey("C-vec");
  }

  @Test
  void shouldScoreDataframeSplit() {
    Reply r =
        api.post(
            PATH,
            "{\"dataframe_split\":{\"index\":[0,1],\"columns\":[\"customer_id\",\"amount\"],"
                + "\"data\":[[\"C-2\",10],[\"C-3\",20.5]]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertPrediction(r.json().at("/predictions/0"), "C-2", expected(2, 2));
    assertPrediction(r.json().at("/predictions/1"), "C-3", expected(3, 3));
    assertThat(api.requestsSeen.get("C-3")).isEqualTo(Map.of("amount", 20.5));

    Reply vectors =
        api.post(
            PATH,
            "{\"dataframe_split\":{\"columns\":[\"total_orders\",\"orders_30d\"],"
                + "\"data\":[[1,2]]}}");
    assertThat(vectors.json().at("/predictions/0/probability").asDouble())
        .isCloseTo(expected(1, 2), within(1e-6));
  }

  @Test
  void shouldScoreInstancesOfRecordsKeysAndVectors() {
    Reply r =
        api.post(
            PATH,
            "{\"instances\":[{\"customer_id\":\"C-4\"},\"C-5\",[3,1]],"
                + "\"client_request_id\":\"i\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode p = r.json().get("predictions");
    assertPrediction(p.get(0), "C-4", expected(4, 4));
    assertPrediction(p.get(1), "C-5", expected(5, 5));
    assertThat(p.get(2).get("probability").asDouble()).isCloseTo(expected(3, 1), within(1e-6));
    assertThat(r.json().get("client_request_id").asText()).isEqualTo("i");
  }

  @Test
  void shouldScoreInputsAsColumnsOrAsAList() {
    Reply columns =
        api.post(PATH, "{\"inputs\":{\"customer_id\":[\"C-6\",\"C-8\"],\"amount\":[1,2]}}");
    assertThat(columns.status()).as(columns.body()).isEqualTo(200);
    assertPrediction(columns.json().at("/predictions/0"), "C-6", expected(6, 6));
    assertPrediction(columns.json().at("/predictions/1"), "C-8", expected(8, 8));
    assertThat(api.requestsSeen.get("C-8")).isEqualTo(Map.of("amount", 2.0));

    Reply list = api.post(PATH, "{\"inputs\":[\"C-9\"]}");
    assertPrediction(list.json().at("/predictions/0"), "C-9", expected(9, 9));
  }

  @Test
  void shouldLogTheClientRequestIdWithEveryRow() throws Exception {
    api.post(PATH, "{\"instances\":[\"C-31\",[1,1]],\"client_request_id\":\"log-me\"}");
    api.predictionLog.close(); // drains the queue into the MockProducer
    List<Prediction> logged =
        api.producer.history().stream()
            .map(ProducerRecord::value)
            .filter(p -> "log-me".equals(p.getClientRequestId()))
            .toList();
    assertThat(logged).hasSize(2);
    assertThat(logged.get(0).getEntityKeys()).isEqualTo(Map.of("customer_id", "C-31"));
    assertThat(logged.get(1).getEntityKeys()).isEmpty();
    assertThat(logged.get(1).getFeatures())
        .allSatisfy(f -> assertThat(f.getFound()).isFalse())
        .extracting(f -> f.getValue())
        .containsExactly(1.0, 1.0);
    // The fixture is per class: a new log for the tests that run after this one.
    api.close();
    api = new ServingApiFixture(3, 2048);
  }

  @Test
  void shouldRejectBadBodiesWithMlflowErrors() {
    assertError("", 400, "MALFORMED_REQUEST", "Empty body");
    assertError("{nope", 400, "MALFORMED_REQUEST", "not valid JSON");
    assertError("[1]", 400, "MALFORMED_REQUEST", "JSON object");
    assertError("{}", 400, "MALFORMED_REQUEST", "Expected one of");
    assertError("{\"dataframe_records\":[],\"x\":1}", 400, "MALFORMED_REQUEST", "'x'");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}],\"instances\":[\"C-1\"]}",
        400,
        "MALFORMED_REQUEST",
        "exactly one");
    assertError("{\"dataframe_records\":{}}", 400, "MALFORMED_REQUEST", "dataframe_records");
    assertError("{\"dataframe_records\":[]}", 400, "INVALID_PARAMETER_VALUE", "empty");
    assertError(
        "{\"dataframe_records\":[{\"id\":1}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "dataframe_records[0] needs a non-empty string customer_id");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":5.5}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "customer_id must be a non-empty string");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":true}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "customer_id must be a non-empty string");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":\"C-1\",\"amount\":\"lots\"}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "dataframe_records[0].amount");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":\"C-1\",\"total_orders\":3}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "missing [orders_30d]");
    assertError(
        "{\"dataframe_records\":[{\"total_orders\":\"3\",\"orders_30d\":1}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "total_orders must be a finite number");
    assertError(
        "{\"dataframe_records\":[{\"total_orders\":3,\"orders_30d\":1,\"note\":\"x\"}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "dataframe_records[0].note");
    assertError(
        "{\"dataframe_records\":[{\"note\":\"x\"}]}",
        400,
        "INVALID_PARAMETER_VALUE",
        "needs a non-empty string customer_id");
    assertError(
        "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}],\"client_request_id\":5}",
        400,
        "INVALID_PARAMETER_VALUE",
        "client_request_id");
    assertError(
        "{\"instances\":[\"a\",\"b\",\"c\",\"d\"]}", 400, "INVALID_PARAMETER_VALUE", "at most 3");
    assertError("{\"instances\":[[1,2,3]]}", 400, "INVALID_PARAMETER_VALUE", "takes 2");
    assertError("{\"instances\":[true]}", 400, "INVALID_PARAMETER_VALUE", "instances[0]");
    assertError("{\"instances\":[[1e300,1]]}", 400, "INVALID_PARAMETER_VALUE", "float range");
    assertError(
        "{\"dataframe_split\":{\"columns\":[\"customer_id\"],\"data\":[[\"C-1\",2]]}}",
        400,
        "INVALID_PARAMETER_VALUE",
        "data[0]");
    assertError(
        "{\"dataframe_split\":{\"columns\":[\"a\",\"a\"],\"data\":[]}}",
        400,
        "INVALID_PARAMETER_VALUE",
        "distinct");
    assertError(
        "{\"inputs\":{\"customer_id\":[\"C-1\"],\"amount\":[1,2]}}",
        400,
        "INVALID_PARAMETER_VALUE",
        "same length");
  }

  @Test
  void shouldAnswer404ForAnUnknownEndpointAnd413ForAnOversizeBody() {
    Reply unknown =
        api.post(
            "/serving-endpoints/nope/invocations", "{\"dataframe_records\":[{\"customer_id\":1}]}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    assertThat(unknown.json().get("message").asText()).contains("nope", "churn");

    Reply big = api.post(PATH, "{\"x\":\"" + "a".repeat(3000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().get("error_code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    assertThat(big.json().get("message").asText()).contains("http.max.body.bytes");
  }

  private void assertError(String body, int status, String code, String mentions) {
    Reply r = api.post(PATH, body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(status);
    assertThat(r.json().get("error_code").asText()).as(r.body()).isEqualTo(code);
    assertThat(r.json().get("message").asText()).as(r.body()).contains(mentions);
    assertThat(r.body()).doesNotContain("Exception");
  }

  private static void assertPrediction(JsonNode row, String key, double probability) {
    assertThat(row.get("customer_id").asText()).isEqualTo(key);
    assertThat(row.get("probability").asDouble()).isCloseTo(probability, within(1e-6));
    assertThat(row.get("label").asInt()).isEqualTo(probability >= 0.5 ? 1 : 0);
    assertThat(row.get("served_model").asText()).isEqualTo("churn_model-1");
    assertThat(row.get("model_version").asText()).isEqualTo("1");
  }
}
