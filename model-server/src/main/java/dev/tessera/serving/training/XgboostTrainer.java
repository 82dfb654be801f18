package dev.tessera.serving.training;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a gradient-boosted tree binary classifier with XGBoost4J on a stratified split of a {@link
 * TrainingSet}, and scores the held-out rows.
 *
 * <p>The rows are split with {@link StratifiedSplit#of StratifiedSplit.of(labels, holdoutFraction,
 * seed)} — call it with the same arguments to get the held-out rows back. The model is fitted on
 * the training rows only; {@code NaN} values are XGBoost's missing values. Parameters are resolved
 * as {@link XgboostParams} describes, with the seed given to XGBoost, so the same set, parameters
 * and seed give a byte-identical model.
 *
 * <p>The result holds the model as XGBoost's JSON (what {@link XgboostOnnxExporter} reads; {@link
 * XGBoost#loadModel(byte[])} loads it back into a {@code Booster}), not a live {@code Booster}: a
 * Booster owns native memory that someone would have to dispose.
 *
 * <pre>{@code
 * XgboostTrainer.Result result =
 *     XgboostTrainer.train(set, XgboostParams.parse("n_estimators=200,max_depth=6,eta=0.1"), 42L);
 * result.holdoutMetrics().auc();
 * byte[] onnx = XgboostOnnxExporter.export(result.modelJson(), result.featureNames(), "churn v4");
 * }</pre>
 */
public final class XgboostTrainer {
  /** The share of each class held out by {@link #train(TrainingSet, Map, long)}. */
  public static final double DEFAULT_HOLDOUT_FRACTION = 0.2;

  private XgboostTrainer() {}

  /**
   * A trained model and how it did on the holdout.
   *
   * @param modelJson the booster as XGBoost's JSON model ({@code Booster.toByteArray("json")})
   * @param featureNames the training set's columns, the model's input order
   * @param params the parameters XGBoost was given except the seed, plus {@value
   *     XgboostParams#ROUNDS_KEY}; with {@code seed} they reproduce the model
   * @param seed the seed of the split and of XGBoost
   * @param holdoutMetrics the model's metrics on the held-out rows
   * @param trainRows rows the model was fitted on
   * @param trainPositives positives among them
   * @param holdoutRows rows held out
   * @param holdoutPositives positives among them
   * @param holdoutScores the model's probabilities for the held-out rows, in {@link
   *     StratifiedSplit#holdout()} order: the reference of served scores ({@link TrainingProfile})
   */
  public record Result(
      byte[] modelJson,
      List<String> featureNames,
      Map<String, String> params,
      long seed,
      ClassifierMetrics holdoutMetrics,
      int trainRows,
      int trainPositives,
      int holdoutRows,
      int holdoutPositives,
      double[] holdoutScores) {
    /** Copies the model bytes and the collections; the params are kept sorted by key. */
    public Result {
      modelJson = modelJson.clone();
      featureNames = List.copyOf(featureNames);
      params = Collections.unmodifiableMap(new TreeMap<>(params));
      holdoutScores = holdoutScores.clone();
    }

    /** A copy of the held-out rows' scores. */
    @Override
    public double[] holdoutScores() {
      return holdoutScores.clone();
    }

    /** A copy of the JSON model. */
    @Override
    public byte[] modelJson() {
      return modelJson.clone();
    }
  }

  /**
   * Trains with a {@value #DEFAULT_HOLDOUT_FRACTION} holdout.
   *
   * @see #train(TrainingSet, Map, long, double)
   */
  public static Result train(TrainingSet set, Map<String, String> params, long seed) {
    return train(set, params, seed, DEFAULT_HOLDOUT_FRACTION);
  }

  /**
   * Splits {@code set}, trains on the training rows and scores the held-out rows.
   *
   * @param params as {@link XgboostParams#parse} returns them
   * @param seed seeds the split and XGBoost
   * @param holdoutFraction the share of each class held out, strictly between 0 and 1
   * @throws IllegalArgumentException if the parameters are invalid (see {@link XgboostParams}) or a
   *     class has fewer than 2 rows
   * @throws TrainingException if XGBoost fails, including when it refuses a parameter value
   */
  public static Result train(
      TrainingSet set, Map<String, String> params, long seed, double holdoutFraction) {
    XgboostParams.Resolved resolved = XgboostParams.resolve(params, seed);
    StratifiedSplit split = StratifiedSplit.of(set.labels(), holdoutFraction, seed);
    int[] trainRows = split.train();
    int[] holdoutRows = split.holdout();
    int[] holdoutLabels = set.labels(holdoutRows);

    DMatrix train = null;
    DMatrix holdout = null;
    Booster booster = null;
    try {
      train = matrix(set, trainRows);
      holdout = matrix(set, holdoutRows);
      booster =
          XGBoost.train(
              train, new HashMap<>(resolved.xgboost()), resolved.rounds(), Map.of(), null, null);
      float[][] predicted = booster.predict(holdout);
      double[] probabilities = new double[holdoutRows.length];
      for (int i = 0; i < probabilities.length; i++) {
        probabilities[i] = predicted[i][0];
      }
      byte[] json = booster.toByteArray("json");

      Map<String, String> recorded = new HashMap<>(resolved.xgboost());
      recorded.remove("seed");
      recorded.put(XgboostParams.ROUNDS_KEY, Integer.toString(resolved.rounds()));
      int holdoutPositives = sum(holdoutLabels);
      return new Result(
          json,
          set.columns(),
          recorded,
          seed,
          ClassifierMetrics.of(holdoutLabels, probabilities),
          trainRows.length,
          set.positives() - holdoutPositives,
          holdoutRows.length,
          holdoutPositives,
          probabilities);
    } catch (XGBoostError e) {
      throw new TrainingException(
          "XGBoost failed training "
              + set
              + " for "
              + resolved.rounds()
              + " rounds with params "
              + resolved.xgboost()
              + ": "
              + firstLine(e.getMessage()),
          e);
    } finally {
      // Native memory: the JVM's collector neither sees nor frees it.
      if (booster != null) {
        booster.dispose();
      }
      if (holdout != null) {
        holdout.dispose();
      }
      if (train != null) {
        train.dispose();
      }
    }
  }

  private static DMatrix matrix(TrainingSet set, int[] rows) throws XGBoostError {
    DMatrix matrix = new DMatrix(set.rows(rows), rows.length, set.columnCount(), Float.NaN);
    try {
      int[] labels = set.labels(rows);
      float[] floatLabels = new float[labels.length];
      for (int i = 0; i < labels.length; i++) {
        floatLabels[i] = labels[i];
      }
      matrix.setLabel(floatLabels);
      // Stored in the JSON model, where the exporter checks them against the names it is given.
      matrix.setFeatureNames(set.columns().toArray(String[]::new));
      return matrix;
    } catch (XGBoostError | RuntimeException e) {
      matrix.dispose();
      throw e;
    }
  }

  private static int sum(int[] labels) {
    int sum = 0;
    for (int label : labels) {
      sum += label;
    }
    return sum;
  }

  // XGBoost appends a native stack trace to its messages; the first line says what went wrong.
  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
