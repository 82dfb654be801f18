package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

class XgboostTrainerTest {
  private static final TrainingSet DATA = SyntheticData.generate(2_000, 3L);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldTrainAndScoreAStratifiedHoldout() {
    XgboostTrainer.Result result =
        XgboostTrainer.train(
            DATA, XgboostParams.parse("n_estimators=60,max_depth=4,learning_rate=0.1"), 42L);

    StratifiedSplit split = StratifiedSplit.of(DATA.labels(), 0.2, 42L);
    assertThat(result.holdoutRows()).isEqualTo(split.holdoutCount()).isEqualTo(400);
    assertThat(result.trainRows()).isEqualTo(1_600);
    assertThat(result.trainPositives() + result.holdoutPositives()).isEqualTo(DATA.positives());
    assertThat(result.holdoutPositives())
        .isEqualTo(Math.round(0.2 * DATA.positives()))
        .isEqualTo(result.holdoutMetrics().positives());
    assertThat(result.holdoutMetrics().rows()).isEqualTo(400);
    // The rule is learnable but noisy: well above chance, below perfect.
    assertThat(result.holdoutMetrics().auc()).isBetween(0.8, 0.99);
    assertThat(result.holdoutMetrics().logLoss()).isBetween(0.2, 0.6);
    assertThat(result.featureNames()).isEqualTo(DATA.columns());
    assertThat(result.seed()).isEqualTo(42L);
    assertThat(result.params())
        .containsExactly(
            entry("eta", "0.1"),
            entry("max_depth", "4"),
            entry("nthread", "1"),
            entry("num_round", "60"),
            entry("objective", "binary:logistic"),
            entry("tree_method", "hist"));
  }

  @Test
  void shouldComputeHoldoutMetricsFromTheModelsOwnPredictions() throws Exception {
    XgboostTrainer.Result result =
        XgboostTrainer.train(DATA, XgboostParams.parse("n_estimators=20"), 5L);
    int[] holdout = StratifiedSplit.of(DATA.labels(), 0.2, 5L).holdout();

    float[][] predicted = XgboostTestSupport.predict(result.modelJson(), DATA, holdout);
    double[] probabilities = new double[holdout.length];
    for (int i = 0; i < holdout.length; i++) {
      probabilities[i] = predicted[i][0];
    }

    assertThat(result.holdoutMetrics())
        .isEqualTo(ClassifierMetrics.of(DATA.labels(holdout), probabilities));
  }

  @Test
  void shouldBeDeterministicForASeed() {
    // Row and column subsampling make the seed matter.
    Map<String, String> params =
        XgboostParams.parse("n_estimators=30,subsample=0.7,colsample_bytree=0.6,max_depth=5");

    XgboostTrainer.Result first = XgboostTrainer.train(DATA, params, 11L);
    XgboostTrainer.Result again = XgboostTrainer.train(DATA, params, 11L);
    XgboostTrainer.Result other = XgboostTrainer.train(DATA, params, 12L);

    assertThat(again.modelJson()).isEqualTo(first.modelJson());
    assertThat(again.holdoutMetrics()).isEqualTo(first.holdoutMetrics());
    assertThat(other.modelJson()).isNotEqualTo(first.modelJson());
  }

  @Test
  void shouldPassUnknownKeysToXgboost() throws Exception {
    XgboostTrainer.Result result =
        XgboostTrainer.train(DATA, XgboostParams.parse("n_estimators=5,max_depth=1"), 1L);

    JsonNode trees = JSON.readTree(result.modelJson()).at("/learner/gradient_booster/model/trees");
    assertThat(trees).hasSize(5);
    for (JsonNode tree : trees) {
      // A stump: a root and at most two leaves.
      assertThat(tree.at("/tree_param/num_nodes").asInt()).isLessThanOrEqualTo(3);
    }
    Booster booster = XGBoost.loadModel(result.modelJson());
    try {
      assertThat(booster.getNumBoostedRound()).isEqualTo(5);
      assertThat(booster.getFeatureNames()).containsExactlyElementsOf(DATA.columns());
    } finally {
      booster.dispose();
    }
  }

  @Test
  void shouldReportXgboostRefusingAParamValue() {
    assertThatThrownBy(
            () ->
                XgboostTrainer.train(
                    DATA, XgboostParams.parse("n_estimators=2,max_depth=deep"), 1L))
        .isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("XGBoost failed training TrainingSet(2000 rows")
        .hasMessageContaining("max_depth=deep")
        .hasMessageContaining("Invalid Parameter format for max_depth")
        .hasMessageNotContaining("\n");
  }

  @Test
  void shouldRefuseASetWithTooFewRowsOfAClass() {
    TrainingSet oneNegative =
        TrainingSet.of(
            SyntheticData.columns().subList(0, 1),
            new float[][] {{1f}, {2f}, {3f}},
            new int[] {1, 0, 1});

    assertThatThrownBy(() -> XgboostTrainer.train(oneNegative, Map.of(), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2 rows of each class");
  }
}
