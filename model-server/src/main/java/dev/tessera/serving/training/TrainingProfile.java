package dev.tessera.serving.training;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tessera.serving.drift.PopulationStability;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compact profile of a model version's training data, the reference its served traffic is
 * compared with for drift: per input column, bins cut at the training values' deciles with the
 * training rows' count in each bin and the share of missing values; and the same for the model's
 * scores on the held-out rows (scores on rows it was fitted on would look better than served ones).
 * About 10 bins per column: it travels with the version on the registry topic.
 *
 * <pre>{@code
 * TrainingProfile p = TrainingProfile.of(set, result.holdoutScores());
 * PopulationStability.Bins bins = p.features().get(0).bins();
 * double psi = PopulationStability.psi(p.features().get(0).countArray(), bins.counts(served));
 * }</pre>
 *
 * @param rows training-set rows the feature references were built from
 * @param features one reference per input column, in input order
 * @param score the reference of the model's scores, or {@code null} if there were none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainingProfile(long rows, List<Reference> features, Reference score) {
  /** Bins per column: deciles. */
  public static final int BINS = 10;

  public TrainingProfile {
    features = List.copyOf(features);
  }

  /**
   * One column's reference distribution.
   *
   * @param name the column
   * @param upperEdges upper edges of every bin but the last ({@link PopulationStability.Bins})
   * @param counts reference values per bin, one more than edges; empty when every value was missing
   * @param missingRate share of reference values that were missing
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Reference(
      String name, List<Double> upperEdges, List<Long> counts, double missingRate) {
    public Reference {
      Objects.requireNonNull(name, "name");
      upperEdges = List.copyOf(upperEdges);
      counts = List.copyOf(counts);
      if (!counts.isEmpty() && counts.size() != upperEdges.size() + 1) {
        throw new IllegalArgumentException(
            "Reference " + name + " needs one count per bin, got " + counts + " for " + upperEdges);
      }
    }

    /**
     * The reference of {@code values} ({@code NaN} values take no part in the bins) with the given
     * share of missing values.
     */
    public static Reference of(String name, double[] values, double missingRate) {
      if (Arrays.stream(values).allMatch(Double::isNaN)) {
        return new Reference(name, List.of(), List.of(), missingRate);
      }
      var bins = PopulationStability.Bins.ofQuantiles(values, BINS);
      return new Reference(
          name,
          Arrays.stream(bins.upperEdges()).boxed().toList(),
          Arrays.stream(bins.counts(values)).boxed().toList(),
          missingRate);
    }

    /** Whether there are bins to compare with (some reference value was not missing). */
    public boolean hasBins() {
      return !counts.isEmpty();
    }

    /** The bins, to count served values in. */
    public PopulationStability.Bins bins() {
      return new PopulationStability.Bins(
          upperEdges.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The reference counts as an array, as {@link PopulationStability#psi} takes them. */
    public long[] countArray() {
      return counts.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /**
   * The profile of {@code set}'s columns (every row) and of {@code scores} (the model's scores on
   * held-out rows; may be empty). The bins hold the values the model was given, declared defaults
   * included, as served rows are binned; the missing rate counts {@link TrainingSet#missing}
   * values: {@code NaN}, or a default filled in because the key had no data.
   */
  public static TrainingProfile of(TrainingSet set, double[] scores) {
    var features = new ArrayList<Reference>(set.columnCount());
    double[] column = new double[set.rowCount()];
    for (int c = 0; c < set.columnCount(); c++) {
      int missing = 0;
      for (int r = 0; r < column.length; r++) {
        column[r] = set.value(r, c);
        missing += set.missing(r, c) ? 1 : 0;
      }
      features.add(Reference.of(set.columns().get(c), column, (double) missing / column.length));
    }
    Reference score =
        scores.length == 0
            ? null
            : Reference.of("score", scores, PopulationStability.missingRate(scores));
    return new TrainingProfile(set.rowCount(), features, score);
  }

  /** The reference of the named column, if the profile has it. */
  public Optional<Reference> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
