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
import dev.tessera.serving.endpoint.TrafficSplit;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.metrics.ServingMetrics;
import dev.tessera.serving.scoring.ModelKind;
import dev.tessera.serving.scoring.Scorer;
import dev.tessera.serving.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing rows to served entities by sticky bucket, pins, shadows and what is logged. */
@Timeout(30)
class RoutedInferenceTest {
  private final FeatureRegistry registry = ShippedFeatures.registry();
  private final MockProducer<String, Prediction> producer =
      new MockProducer<>(
          true,
          null,
          new StringSerializer(),
          TopicCatalog.defaults().predictions().valueSerde().serializer());
  private final PredictionLog log =
      PredictionLog.start(TopicCatalog.defaults().predictions(), producer, 100_000);
  private final InferenceService inference =
      new InferenceService(registry, this::lookup, log, Clock.systemUTC());

  @AfterEach
  void close() {
    inference.close();
    log.close();
  }

  @Test
  void shouldRouteEveryKeyToTheEntityOfItsBucketNinetyTen() {
    inference.publish(endpoint(List.of(), Map.of()));
    var rows = new ArrayList<InvocationRow>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(InvocationRow.lookup("C-" + i, Map.of()));
    }
    List<ScoredRow> first = inference.invoke("churn", rows, null);
    List<ScoredRow> again = inference.invoke("churn", rows, null);

    var split = TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)));
    int challenger = 0;
    for (int i = 0; i < rows.size(); i++) {
      String expected = split.route(Endpoint.bucket("churn-salt", "C-" + i));
      assertThat(first.get(i).servedModel()).isEqualTo(expected);
      assertThat(again.get(i).servedModel()).isEqualTo(expected);
      // Each entity's scorer answers its own constant, so the score says who scored.
      assertThat(first.get(i).probability()).isEqualTo(expected.equals("champion") ? 0.2 : 0.7);
      challenger += expected.equals("challenger") ? 1 : 0;
    }
    assertThat(challenger / 5_000.0).isBetween(0.08, 0.12);
  }

  @Test
  void shouldScoreEveryRowWithThePinnedEntity() {
    inference.publish(endpoint(List.of(), Map.of()));
    var rows = new ArrayList<InvocationRow>();
    for (int i = 0; i < 200; i++) {
      rows.add(InvocationRow.lookup("C-" + i, Map.of()));
    }
    assertThat(inference.invoke("churn", "challenger", rows, null))
        .extracting(ScoredRow::servedModel)
        .containsOnly("challenger");
    assertThatThrownBy(() -> inference.invoke("churn", "nobody", rows, null))
        .isInstanceOf(UnknownEndpointException.class)
        .hasMessage(
            "Endpoint churn has no served entity 'nobody'; served entities: [champion,"
                + " challenger]");
  }

  @Test
  void shouldLogEveryRowWithItsAssignmentAndShadowScoresWithoutReturningThem() {
    inference.publish(endpoint(List.of("shadow"), Map.of()));
    List<ScoredRow> answer =
        inference.invoke(
            "churn",
            List.of(InvocationRow.lookup("C-1", Map.of()), InvocationRow.lookup("C-2", Map.of())),
            "client-7");
    assertThat(answer).extracting(ScoredRow::servedModel).doesNotContain("shadow");

    List<Prediction> logged =
        Await.until(
            Duration.ofSeconds(10),
            "two answered and two shadow rows logged",
            () -> {
              List<Prediction> p = producer.history().stream().map(ProducerRecord::value).toList();
              return p.size() == 4 ? p : null;
            });
    assertThat(logged).filteredOn(p -> p.getServedEntity().equals("shadow")).hasSize(2);
    assertThat(new HashSet<>(logged.stream().map(Prediction::getRequestId).toList())).hasSize(4);
    for (Prediction p : logged) {
      String key = p.getEntityKeys().get("customer_id");
      assertThat(p.getClientRequestId()).isEqualTo("client-7");
      assertThat(p.getAssignment().getBucket()).isEqualTo(Endpoint.bucket("churn-salt", key));
      assertThat(p.getAssignment().getConfigVersion()).isEqualTo(4);
      assertThat(p.getAssignment().getExperimentId())
          .isEqualTo("churn:champion=churn/1,challenger=churn/2,shadow=churn/3");
    }
  }

  @Test
  void shouldAnswerUnavailableForARowRoutedToAnEntityThatIsNotLoadedHere() {
    inference.publish(endpoint(List.of(), Map.of("challenger", "artifact missing")));
    var rows = new ArrayList<InvocationRow>();
    for (int i = 0; i < 200; i++) {
      rows.add(InvocationRow.lookup("C-" + i, Map.of()));
    }
    assertThatThrownBy(() -> inference.invoke("churn", rows, null))
        .isInstanceOf(EntityUnavailableException.class)
        .hasMessageContaining("challenger")
        .hasMessageContaining("artifact missing");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void shouldAnswerRowsAFailingChallengerCannotScoreWithTheChampionAndLogThemAsErrors() {
    double[] scores = {0.2, Double.NaN};
    inference.publish(endpoint(List.of(), Map.of(), scores));
    var rows = new ArrayList<InvocationRow>();
    for (int i = 0; i < 300; i++) {
      rows.add(InvocationRow.lookup("C-" + i, Map.of()));
    }
    List<ScoredRow> answer = inference.invoke("churn", rows, null);
    assertThat(answer).extracting(ScoredRow::servedModel).containsOnly("champion");
    assertThat(answer).extracting(ScoredRow::probability).containsOnly(0.2);

    var split = TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)));
    long routedToChallenger =
        rows.stream()
            .filter(r -> split.route(Endpoint.bucket("churn-salt", r.key())).equals("challenger"))
            .count();
    assertThat(routedToChallenger).isPositive();
    assertThat(inference.scoringFailures()).isEqualTo(routedToChallenger);
    String scraped =
        new String(
            ServingMetrics.create().watch(inference).scrape(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(scraped)
        .containsPattern("(?m)^tessera_scoring_failures_total " + routedToChallenger + "(\\.0)?$");
    List<Prediction> logged =
        Await.until(
            Duration.ofSeconds(10),
            "every row logged, the challenger's twice",
            () ->
                producer.history().size() == 300 + routedToChallenger
                    ? producer.history().stream().map(ProducerRecord::value).toList()
                    : null);
    assertThat(logged)
        .filteredOn(p -> p.getServedEntity().equals("challenger"))
        .hasSize((int) routedToChallenger)
        .allSatisfy(
            p -> {
              assertThat(p.getScore()).isNaN();
              assertThat(p.getLabel()).isNull();
            });
  }

  @Test
  void shouldRefuseAnUnknownEndpoint() {
    assertThatThrownBy(() -> inference.invoke("fraud", List.of(), null))
        .isInstanceOf(UnknownEndpointException.class)
        .hasMessageContaining("fraud");
  }

  /** churn: champion 90 / challenger 10 (+ shadows), config version 4, each a constant scorer. */
  private RoutedEndpoint endpoint(List<String> shadows, Map<String, String> unavailable) {
    return endpoint(shadows, unavailable, new double[] {0.2, 0.7, 0.5});
  }

  private RoutedEndpoint endpoint(
      List<String> shadows, Map<String, String> unavailable, double[] scores) {
    var slots = new LinkedHashMap<String, ModelSlot>();
    var names = new ArrayList<String>(List.of("champion", "challenger"));
    names.addAll(shadows);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (!unavailable.containsKey(name)) {
        slots.put(
            name,
            ModelSlot.of(
                new ServedModel(
                    name,
                    "churn",
                    Integer.toString(i + 1),
                    ShippedFeatures.churnV1(),
                    new ConstantScorer(scores[i])),
                registry));
      }
    }
    return new RoutedEndpoint(
        "churn",
        "churn-salt",
        4,
        TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10))),
        slots,
        shadows,
        unavailable);
  }

  private FeatureVector lookup(String view, String key, long asOf, Map<String, Double> request) {
    List<String> names = registry.view(view).orElseThrow().columns();
    double[] values = new double[names.size()];
    Arrays.fill(values, 1);
    return new FeatureVector(
        view, key, asOf, true, names, values, new long[names.size()], 0, "local");
  }

  private record ConstantScorer(double score) implements Scorer {
    @Override
    public int featureCount() {
      return 2;
    }

    @Override
    public double[] score(float[] features, int rows) {
      double[] out = new double[rows];
      Arrays.fill(out, score);
      return out;
    }

    @Override
    public ModelKind kind() {
      return ModelKind.CLASSIFIER;
    }

    @Override
    public void close() {}
  }
}
