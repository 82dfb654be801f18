package dev.tessera.serving.inference;

/**
 * One answered row.
 *
 * @param entityKey the row's lookup key (null for a full-vector row given without a key)
 * @param probability score of the positive class
 * @param label predicted class at the 0.5 threshold
 * @param servedModel served entity that scored it
 * @param modelName registered model that scored it
 * @param modelVersion model version that scored it
 * @param featuresFound whether the feature store held data for the key (false for full vectors)
 * @param lookedUp whether the features were looked up (false: the request gave them)
 */
public record ScoredRow(
    String entityKey,
    double probability,
    int label,
    String servedModel,
    String modelName,
    String modelVersion,
    boolean featuresFound,
    boolean lookedUp) {}
