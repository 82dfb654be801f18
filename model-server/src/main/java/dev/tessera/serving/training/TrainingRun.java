package dev.tessera.serving.training;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The record of one training run: what was trained, on which data, with which parameters, and how
 * it scored on the holdout — what a model version's registry entry carries about its origin.
 *
 * <p>Serialises with any Jackson {@code ObjectMapper}, no modules needed: snake_case names like the
 * rest of Tessera's JSON, instants as ISO-8601 strings ({@code "2026-11-22T10:00:00Z"}), params
 * sorted by key. The dataset range is {@code null} when the rows carried no timestamps.
 *
 * <pre>{@code
 * XgboostTrainer.Result result = XgboostTrainer.train(set, params, 42L);
 * TrainingRun run = TrainingRun.of("churn_model", result, set, definitionsHash, Instant.now());
 * byte[] json = new ObjectMapper().writeValueAsBytes(run);
 * TrainingRun back = new ObjectMapper().readValue(json, TrainingRun.class);
 * }</pre>
 *
 * @param modelName the registered model this run trains a version of
 * @param flavour how it was trained, {@value #XGBOOST}
 * @param featureNames the model's inputs, in order
 * @param params the parameters it ran with (see {@link XgboostTrainer.Result#params()})
 * @param seed the seed of the split and of the trainer
 * @param holdoutMetrics metrics on the held-out rows
 * @param trainRows rows fitted on
 * @param trainPositives positives among them
 * @param holdoutRows rows held out
 * @param holdoutPositives positives among them
 * @param dataFrom the earliest row timestamp of the training set, or {@code null}
 * @param dataTo the latest row timestamp of the training set, or {@code null}
 * @param definitionsHash identifies the feature definitions the training set was built from
 * @param createdAt when the run finished
 * @param trainingProfile the training data's and holdout scores' distributions, the drift monitor's
 *     reference; {@code null} in records written before it existed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingRun(
    String modelName,
    String flavour,
    List<String> featureNames,
    Map<String, String> params,
    long seed,
    ClassifierMetrics holdoutMetrics,
    int trainRows,
    int trainPositives,
    int holdoutRows,
    int holdoutPositives,
    @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = TrainingRun.IsoInstant.class)
        Instant dataFrom,
    @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = TrainingRun.IsoInstant.class)
        Instant dataTo,
    String definitionsHash,
    @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = TrainingRun.IsoInstant.class)
        Instant createdAt,
    TrainingProfile trainingProfile) {

  /** The flavour of runs of {@link XgboostTrainer}. */
  public static final String XGBOOST = "xgboost";

  /**
   * Checks and copies the fields.
   *
   * @throws IllegalArgumentException if a name, hash or time is missing, a count is negative or
   *     exceeds its total, or the dataset range is half-open or reversed
   */
  public TrainingRun {
    requireText(modelName, "modelName");
    requireText(flavour, "flavour");
    requireText(definitionsHash, "definitionsHash");
    Objects.requireNonNull(holdoutMetrics, "holdoutMetrics");
    Objects.requireNonNull(createdAt, "createdAt");
    featureNames = List.copyOf(featureNames);
    params = Collections.unmodifiableMap(new TreeMap<>(params));
    if (trainPositives < 0
        || holdoutPositives < 0
        || trainPositives > trainRows
        || holdoutPositives > holdoutRows) {
      throw new IllegalArgumentException(
          "Counts out of range: "
              + trainPositives
              + " positives in "
              + trainRows
              + " training rows, "
              + holdoutPositives
              + " in "
              + holdoutRows
              + " held-out rows");
    }
    if ((dataFrom == null) != (dataTo == null) || (dataFrom != null && dataFrom.isAfter(dataTo))) {
      throw new IllegalArgumentException(
          "The dataset range must be both ends or neither, in order; got "
              + dataFrom
              + " .. "
              + dataTo);
    }
  }

  /**
   * The record of an {@link XgboostTrainer} run on {@code set}.
   *
   * @param definitionsHash identifies the feature definitions {@code set} was built from
   */
  public static TrainingRun of(
      String modelName,
      XgboostTrainer.Result result,
      TrainingSet set,
      String definitionsHash,
      Instant createdAt) {
    return new TrainingRun(
        modelName,
        XGBOOST,
        result.featureNames(),
        result.params(),
        result.seed(),
        result.holdoutMetrics(),
        result.trainRows(),
        result.trainPositives(),
        result.holdoutRows(),
        result.holdoutPositives(),
        set.minTimestamp().isPresent()
            ? Instant.ofEpochMilli(set.minTimestamp().getAsLong())
            : null,
        set.maxTimestamp().isPresent()
            ? Instant.ofEpochMilli(set.maxTimestamp().getAsLong())
            : null,
        definitionsHash,
        createdAt,
        TrainingProfile.of(set, result.holdoutScores()));
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be non-blank, got " + value);
    }
  }

  /** Reads an ISO-8601 instant; the pair of {@code ToStringSerializer}, so no module is needed. */
  static final class IsoInstant extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    IsoInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
      }
      String text = parser.getText();
      try {
        return Instant.parse(text);
      } catch (DateTimeException e) {
        return (Instant)
            context.handleWeirdStringValue(
                Instant.class, text, "expected an ISO-8601 instant such as 2026-11-22T10:00:00Z");
      }
    }
  }
}
