package dev.tessera.serving.drift;

/**
 * One input column of a model version: its served values in the window against the training
 * reference.
 *
 * @param feature the column, e.g. {@code orders_30d}
 * @param psi population stability index of the served values in the reference's bins; NaN when the
 *     reference or the window has no value to bin
 * @param missingRate share of served rows whose value had no contributing event ({@code found}
 *     false: the declared default)
 * @param referenceMissingRate the same share in the training set
 * @param status {@link DriftStatus#ALERT} for a PSI at or above the alert threshold or a missing
 *     rate risen by more than allowed, {@link DriftStatus#WARN} from the warn threshold
 */
public record FeatureDrift(
    String feature,
    double psi,
    double missingRate,
    double referenceMissingRate,
    DriftStatus status) {}
