package dev.tessera.serving.experiment;

import static dev.tessera.serving.experiment.Events.outcome;
import static dev.tessera.serving.experiment.Events.prediction;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.topology.DeadLetterProcessingHandler;
import dev.tessera.features.topology.DeadLetters;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTopologyTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final EvaluationSettings SETTINGS = EvaluationSettings.defaults();

  private final TopicCatalog topics = TopicCatalog.defaults();
  private final List<Map.Entry<String, Object>> piped = new ArrayList<>();
  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Prediction> predictions;
  private TestInputTopic<String, Outcome> outcomes;
  private int requests;

  @BeforeEach
  void start() {
    start(SETTINGS);
  }

  private void start(EvaluationSettings settings) {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluation-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(EvaluationTopology.build(topics, settings), props);
    predictions =
        driver.createInputTopic(
            TopicCatalog.PREDICTIONS,
            topics.predictions().keySerde().serializer(),
            topics.predictions().valueSerde().serializer());
    outcomes =
        driver.createInputTopic(
            TopicCatalog.OUTCOMES,
            topics.outcomes().keySerde().serializer(),
            topics.outcomes().valueSerde().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void predict(String customer, long ts, String variant, double score) {
    predict(customer, ts, variant, score, 500);
  }

  private void predict(String customer, long ts, String variant, double score, long latency) {
    Prediction p = prediction("r-" + requests++, customer, ts, variant, score, latency);
    predictions.pipeInput(customer, p);
    piped.add(Map.entry(customer, p));
  }

  private void observe(String customer, long ts, int label) {
    Outcome o = outcome(customer, ts, label);
    outcomes.pipeInput(customer, o);
    piped.add(Map.entry(customer, o));
  }

  private Map<String, VariantStats> churn() {
    return ExperimentReader.variants(
        driver.getKeyValueStore(EvaluationTopology.STATS_STORE), "churn");
  }

  @Test
  void shouldDeadLetterOutcomesThatCouldNeverLabelARow() {
    driver.close();
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluation-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TopicCatalog.DEAD_LETTERS);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    driver = new TopologyTestDriver(EvaluationTopology.build(topics, SETTINGS), props);
    outcomes =
        driver.createInputTopic(
            TopicCatalog.OUTCOMES,
            topics.outcomes().keySerde().serializer(),
            topics.outcomes().valueSerde().serializer());
    TestOutputTopic<byte[], byte[]> dead =
        driver.createOutputTopic(
            TopicCatalog.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());

    // Record timestamps T0: the driver's default (the wall clock) would move stream time on.
    outcomes.pipeInput("C-1", null, T0);
    outcomes.pipeInput(null, outcome("C-1", T0, 1), T0);
    outcomes.pipeInput("C-2", outcome("C-1", T0, 1), T0);
    outcomes.pipeInput("C-1", outcome("C-1", -1, 1), T0);
    outcomes.pipeInput("C-1", outcome("C-1", T0, 7), T0);
    outcomes.pipeInput("C-1", outcome("C-1", T0, 1), T0);

    assertThat(dead.readRecordsToList())
        .extracting(r -> new String(r.headers().lastHeader(DeadLetters.REASON).value(), UTF_8))
        .containsExactly(
            "null value: outcomes needs an event",
            "missing key: records on outcomes must be keyed by customer_id",
            "key 'C-2' does not match customer_id 'C-1'",
            "outcome_ts is before 1970: 1969-12-31T23:59:59.999Z",
            "label must be 0 or 1, got 7");
    KeyValueStore<String, Integer> stored =
        driver.getKeyValueStore(EvaluationTopology.OUTCOMES_STORE);
    try (var all = stored.all()) {
      assertThat(all).toIterable().hasSize(1); // only the valid outcome
    }
  }

  @Test
  void shouldLabelAPredictionWithTheFirstOutcomeInItsHorizon() {
    predict("C-1", T0, "v1", 0.8);
    observe("C-1", T0 + 12 * DAY, 0);
    observe("C-1", T0 + 6 * DAY, 1); // earlier, arrives later within grace: relabels the row
    observe("C-1", T0 + 6 * DAY, 0); // same time, arrived second: ignored
    var v1 = churn().get("v1");
    assertThat(v1.predictions()).isEqualTo(1);
    assertThat(v1.labelled()).isEqualTo(1);
    assertThat(v1.positives()).isEqualTo(1);
    assertThat(v1.logLossNanos()).isEqualTo(Statistics.logLossNanos(0.8, 1));
  }

  @Test
  void shouldIgnoreAnOutcomeBeforeOrAtThePrediction() {
    observe("C-1", T0 - DAY, 1);
    observe("C-2", T0, 1);
    predict("C-1", T0, "v1", 0.8);
    predict("C-2", T0, "v1", 0.8);
    predict("C-3", T0, "v1", 0.8);
    observe("C-3", T0 - 1, 1); // before the prediction though it arrives after it
    assertThat(churn().get("v1").predictions()).isEqualTo(3);
    assertThat(churn().get("v1").labelled()).isZero();
  }

  @Test
  void shouldIgnoreAnOutcomeAfterTheHorizonAndCountOneAtItsEnd() {
    predict("C-1", T0, "v1", 0.8);
    predict("C-2", T0, "v1", 0.3);
    observe("C-1", T0 + 30 * DAY + 1, 1);
    observe("C-2", T0 + 30 * DAY, 0);
    var v1 = churn().get("v1");
    assertThat(v1.labelled()).isEqualTo(1);
    assertThat(v1.negatives()).isEqualTo(1);
  }

  @Test
  void shouldCountALateOutcomeWithinGraceAndDropOneBeyond() {
    predict("C-1", T0, "v1", 0.8);
    predict("C-2", T0, "v1", 0.3);
    predict("C-9", T0 + 12 * DAY, "v1", 0.5); // stream time: T0 + 12 d
    observe("C-1", T0 + 6 * DAY, 1); // 6 days behind, grace 7: joined
    predict("C-9", T0 + 20 * DAY, "v1", 0.5); // stream time: T0 + 20 d
    observe("C-2", T0 + 12 * DAY, 0); // 8 days behind: late, dropped
    var v1 = churn().get("v1");
    assertThat(v1.predictions()).isEqualTo(4);
    assertThat(v1.labelled()).isEqualTo(1);
    assertThat(v1.positives()).isEqualTo(1);
  }

  @Test
  void shouldKeepTwoVariantsApart() {
    predict("C-1", T0, "v1", 0.9, 300);
    predict("C-2", T0, "v2", 0.2, 900);
    predict("C-3", T0, "v2", Double.NaN, 100);
    observe("C-1", T0 + DAY, 1);
    observe("C-2", T0 + DAY, 1);
    observe("C-3", T0 + DAY, 1);
    var stats = churn();
    assertThat(stats).containsOnlyKeys("v1", "v2");
    assertThat(stats.get("v1").predictions()).isEqualTo(1);
    assertThat(stats.get("v1").latencyQuantile(0.5)).isEqualTo(300);
    assertThat(stats.get("v2").predictions()).isEqualTo(2);
    assertThat(stats.get("v2").errors()).isEqualTo(1);
    assertThat(stats.get("v2").labelled()).isEqualTo(1); // the error row is not labelled
    assertThat(stats.get("v2").logLossNanos()).isEqualTo(Statistics.logLossNanos(0.2, 1));
    assertThat(stats.get("v2").latencyQuantile(1.0)).isEqualTo(900);
  }

  @Test
  void shouldForgetRowsThatCanNoLongerJoin() {
    predict("C-1", T0, "v1", 0.8);
    observe("C-1", T0 + 40 * DAY, 1); // after the horizon
    predict("C-9", T0 + 100 * DAY, "v1", 0.5); // stream time far beyond horizon + grace
    try (var it =
        driver.<String, byte[]>getKeyValueStore(EvaluationTopology.PREDICTIONS_STORE).all()) {
      assertThat(it).toIterable().extracting(kv -> kv.key).allMatch(k -> k.startsWith("C-9"));
    }
    try (var it =
        driver.<String, Integer>getKeyValueStore(EvaluationTopology.OUTCOMES_STORE).all()) {
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void shouldLabelWithTheFirstSnapshotAtOrAfterThePredictionWithADelay() {
    stop();
    var snapshots =
        SETTINGS.withDelay(Duration.ofDays(30).minusMillis(1)).withHorizon(Duration.ofDays(7));
    start(snapshots);
    // Demo-world outcomes: outcome_ts = snapshot + 30 d, one snapshot a week.
    predict("C-1", T0 + DAY, "v1", 0.8); // between the snapshots T0 and T0 + 7 d
    predict("C-2", T0 + 7 * DAY, "v1", 0.4); // at the snapshot T0 + 7 d
    for (int week = 0; week < 3; week++) {
      observe("C-1", T0 + (30 + 7 * week) * DAY, week == 1 ? 1 : 0);
      observe("C-2", T0 + (30 + 7 * week) * DAY, week == 1 ? 0 : 1);
    }
    var v1 = churn().get("v1");
    assertThat(v1.labelled()).isEqualTo(2);
    assertThat(v1.positives()).isEqualTo(1); // both took the T0 + 7 d snapshot: C-1 1, C-2 0
    assertThat(v1.logLossNanos())
        .isEqualTo(Statistics.logLossNanos(0.8, 1) + Statistics.logLossNanos(0.4, 0));
    BruteForceEvaluation.assertSame(
        churn(), BruteForceEvaluation.evaluate(piped, snapshots).get("churn"));
  }

  @Test
  void shouldFlagSampleRatioMismatchOnASkewedSplitOfThePipedRows() {
    var split = new LinkedHashMap<String, Double>();
    split.put("v1", 90.0);
    split.put("v2", 10.0);
    for (int i = 0; i < 10_000; i++) {
      // 85/15 observed against 90/10 configured.
      predict("C-" + i, T0 + i, i % 20 < 17 ? "v1" : "v2", 0.5);
    }
    var skewed = ExperimentReport.of("churn", churn(), split, "v1", ReportRules.defaults());
    assertThat(skewed.sampleRatio().observed())
        .containsEntry("v1", 8_500L)
        .containsEntry("v2", 1_500L);
    assertThat(skewed.sampleRatio().mismatch()).isTrue();
    assertThat(skewed.variants().get(1).recommendation())
        .isEqualTo(ExperimentReport.Recommendation.ROLL_BACK);
    split.put("v1", 85.0);
    split.put("v2", 15.0);
    var fair = ExperimentReport.of("churn", churn(), split, "v1", ReportRules.defaults());
    assertThat(fair.sampleRatio().mismatch()).isFalse();
    assertThat(fair.sampleRatio().pValue()).isEqualTo(1.0);
  }

  @Test
  void shouldEqualABruteForceRecomputationFromThePipedRecords() {
    var random = new Random(5);
    long now = T0;
    for (int i = 0; i < 6_000; i++) {
      now += random.nextInt((int) (DAY / 20));
      String customer = "C-" + random.nextInt(150);
      // Records up to 9 days behind the clock: some joined within grace, some late.
      long ts = now - (random.nextDouble() < 0.1 ? random.nextInt((int) (9 * DAY)) : 0);
      if (random.nextDouble() < 0.6) {
        String variant = random.nextDouble() < 0.8 ? "v1" : "v2";
        double score =
            random.nextDouble() < 0.01 ? Double.NaN : Math.round(random.nextDouble() * 1e6) / 1e6;
        predict(customer, ts, variant, score, 200 + random.nextInt(5_000));
      } else {
        observe(customer, ts, random.nextDouble() < 0.3 ? 1 : 0);
      }
    }
    var expected = BruteForceEvaluation.evaluate(piped, SETTINGS).get("churn");
    assertThat(expected.get("v1").stats().labelled()).isGreaterThan(1_000);
    BruteForceEvaluation.assertSame(churn(), expected);
  }
}
