package dev.tessera.serving.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training parameters for {@link XgboostTrainer}: parsing the command-line form and resolving it
 * into what XGBoost is given.
 *
 * <p><b>Syntax.</b> {@code key=value} pairs separated by commas, whitespace around keys and values
 * ignored: {@code n_estimators=200,max_depth=6,eta=0.1}. A comma inside brackets or parentheses
 * does not separate pairs, so XGBoost's tuple values fit: {@code monotone_constraints=(1,-1,0)}. A
 * blank string means no parameters.
 *
 * <p><b>Resolution.</b> {@code n_estimators} (scikit-learn's name), {@code num_boost_round} or
 * {@code num_round} give the number of boosting rounds (default {@value #DEFAULT_ROUNDS}); {@code
 * learning_rate} becomes {@code eta}. Every other key is passed to XGBoost as it is, which refuses
 * what it cannot parse. Defaults: {@code objective=binary:logistic}, {@code tree_method=hist},
 * {@code nthread=}{@value #DEFAULT_NTHREAD}; the seed is always {@link XgboostTrainer#train}'s
 * argument, so {@code seed} and {@code random_state} are refused here rather than silently
 * competing with it. Only {@code binary:logistic} is trained: the training set holds 0/1 labels and
 * the metrics read probabilities.
 *
 * <pre>{@code
 * Map<String, String> params = XgboostParams.parse("n_estimators=200, max_depth=6, learning_rate=0.1");
 * XgboostTrainer.Result result = XgboostTrainer.train(set, params, 42L);
 * result.params(); // {eta=0.1, max_depth=6, nthread=1, num_round=200, objective=binary:logistic, ...}
 * }</pre>
 */
public final class XgboostParams {
  /** Boosting rounds when no round key is given. */
  public static final int DEFAULT_ROUNDS = 100;

  /**
   * XGBoost threads when {@code nthread} is not given. Fixed rather than the machine's core count,
   * so the same parameters and seed give the same model on any machine; and 1, because XGBoost's
   * OpenMP threads spin while they wait: on a busy 2-core machine, 200 rounds over 1,600 rows took
   * 0.3-0.4 s with one thread and 2-2.8 s with two. Pass {@code nthread} for large sets on idle
   * cores.
   */
  public static final String DEFAULT_NTHREAD = "1";

  /** The objective trained, and the only one accepted. */
  public static final String OBJECTIVE = "binary:logistic";

  /** The key under which {@link XgboostTrainer.Result#params()} records the number of rounds. */
  public static final String ROUNDS_KEY = "num_round";

  private static final String EXAMPLE = "n_estimators=200,max_depth=6,eta=0.1";

  private XgboostParams() {}

  /** The boosting rounds and the parameters XGBoost is given, seed included. */
  record Resolved(int rounds, Map<String, String> xgboost) {}

  /**
   * Parses {@code key=value,key=value}.
   *
   * @return the pairs in the order given, unmodifiable
   * @throws IllegalArgumentException if an entry is empty, lacks {@code =}, has an empty key or
   *     value, repeats a key, or brackets do not balance
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return Collections.unmodifiableMap(params);
    }
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ',';
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
        if (depth < 0) {
          throw malformed(text, "'" + c + "' at position " + i + " closes nothing");
        }
      } else if (c == ',' && depth == 0) {
        addEntry(params, text, text.substring(start, i).trim());
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw malformed(text, "a bracket is not closed");
    }
    return Collections.unmodifiableMap(params);
  }

  private static void addEntry(Map<String, String> params, String text, String entry) {
    if (entry.isEmpty()) {
      throw malformed(text, "an entry is empty");
    }
    int equals = entry.indexOf('=');
    if (equals < 0) {
      throw malformed(text, "entry '" + entry + "' has no '='");
    }
    String key = entry.substring(0, equals).trim();
    String value = entry.substring(equals + 1).trim();
    if (key.isEmpty() || value.isEmpty()) {
      throw malformed(text, "entry '" + entry + "' has an empty key or value");
    }
    if (params.putIfAbsent(key, value) != null) {
      throw malformed(text, "key '" + key + "' is given twice");
    }
  }

  private static IllegalArgumentException malformed(String text, String reason) {
    return new IllegalArgumentException(
        "Malformed XGBoost params '"
            + text
            + "': "
            + reason
            + "; expected key=value pairs separated by commas, e.g. "
            + EXAMPLE);
  }

  /**
   * Applies the aliases and defaults, and adds the seed.
   *
   * @throws IllegalArgumentException if the rounds are not a positive integer, a name and its alias
   *     are both given, a seed is given, the objective is not {@value #OBJECTIVE}, or a key or
   *     value is blank
   */
  static Resolved resolve(Map<String, String> params, long seed) {
    Map<String, String> xgboost = new TreeMap<>();
    String roundsKey = null;
    for (Map.Entry<String, String> entry : params.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      if (key == null || key.isBlank() || value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "XGBoost param keys and values must be non-blank, got " + key + "=" + value);
      }
      switch (key) {
        case "n_estimators", "num_boost_round", ROUNDS_KEY -> {
          if (roundsKey != null) {
            throw new IllegalArgumentException(
                "Give the number of rounds once, got both " + roundsKey + " and " + key);
          }
          roundsKey = key;
        }
        case "seed", "random_state" ->
            throw new IllegalArgumentException(
                "The seed is train's argument, so param '"
                    + key
                    + "' is refused (got "
                    + key
                    + "="
                    + value
                    + ")");
        case "learning_rate", "eta" -> {
          if (xgboost.putIfAbsent("eta", value) != null) {
            throw new IllegalArgumentException(
                "Give either eta or learning_rate, not both (got " + params + ")");
          }
        }
        case "objective" -> {
          if (!OBJECTIVE.equals(value)) {
            throw new IllegalArgumentException(
                "Only objective "
                    + OBJECTIVE
                    + " is trained (0/1 labels, probabilities for the metrics and the ONNX"
                    + " classifier), got objective="
                    + value);
          }
          xgboost.put(key, value);
        }
        default -> xgboost.put(key, value);
      }
    }
    int rounds = roundsKey == null ? DEFAULT_ROUNDS : rounds(roundsKey, params.get(roundsKey));
    xgboost.putIfAbsent("objective", OBJECTIVE);
    xgboost.putIfAbsent("tree_method", "hist");
    xgboost.putIfAbsent("nthread", DEFAULT_NTHREAD);
    xgboost.put("seed", Long.toString(seed));
    return new Resolved(rounds, Collections.unmodifiableMap(xgboost));
  }

  private static int rounds(String key, String value) {
    try {
      int rounds = Integer.parseInt(value);
      if (rounds > 0) {
        return rounds;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(key + " must be a positive integer, got '" + value + "'");
  }
}
