package dev.tessera.serving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.scoring.ModelKind;
import dev.tessera.serving.scoring.Scorer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The single entry point: lookup rows and full-vector rows in one batch, in order. */
class InferenceServiceTest {
  private final FeatureRegistry registry = ShippedFeatures.registry();
  private final List<Map<String, Double>> requests = new ArrayList<>();

  @Test
  void shouldScoreLookupAndVectorRowsInOrderAndPassRequestFields() {
    try (var log = log();
        var inference = service(log)) {
      List<ScoredRow> rows =
          inference.invoke(
              "churn",
              List.of(
                  InvocationRow.lookup("C-1", Map.of("amount", 5.0)),
                  InvocationRow.vector(null, new float[] {7f, 8f})),
              "cid");
      // The scorer returns the sum of a row's inputs: the lookup gives 2 + 2, the vector 7 + 8.
      assertThat(rows).extracting(ScoredRow::probability).containsExactly(4.0, 15.0);
      assertThat(rows).extracting(ScoredRow::lookedUp).containsExactly(true, false);
      assertThat(rows.get(1).entityKey()).isNull();
      assertThat(requests).containsExactly(Map.of("amount", 5.0));
      assertThat(inference.inputs("churn").columns()).containsExactly("total_orders", "orders_30d");
    }
  }

  @Test
  void shouldRefuseAVectorOfAnotherWidth() {
    try (var log = log();
        var inference = service(log)) {
      assertThatThrownBy(
              () ->
                  inference.invoke(
                      "churn", List.of(InvocationRow.vector("C-1", new float[] {1f})), null))
          .isInstanceOf(InvalidInvocationException.class)
          .hasMessageContaining("has 1 feature values")
          .hasMessageContaining("takes 2");
    }
  }

  private PredictionLog log() {
    var topic = TopicCatalog.defaults().predictions();
    return PredictionLog.start(
        topic,
        new MockProducer<String, Prediction>(
            true, null, new StringSerializer(), topic.valueSerde().serializer()),
        100);
  }

  private InferenceService service(PredictionLog log) {
    var model = new ServedModel("m-1", "m", "1", ShippedFeatures.churnV1(), new SumScorer());
    return new InferenceService(
        List.of(new Endpoint("churn", "churn", 1, model)),
        registry,
        (view, key, asOf, request) -> {
          requests.add(request);
          List<String> names = registry.view(view).orElseThrow().columns();
          double[] values = new double[names.size()];
          Arrays.fill(values, 2);
          return new FeatureVector(
              view, key, asOf, true, names, values, new long[names.size()], 0, "local");
        },
        log,
        Clock.systemUTC());
  }

  private static final class SumScorer implements Scorer {
    @Override
    public int featureCount() {
      return 2;
    }

    @Override
    public double[] score(float[] features, int rows) {
      double[] out = new double[rows];
      for (int r = 0; r < rows; r++) {
        out[r] = features[2 * r] + features[2 * r + 1];
      }
      return out;
    }

    @Override
    public ModelKind kind() {
      return ModelKind.REGRESSOR;
    }

    @Override
    public void close() {}
  }
}
