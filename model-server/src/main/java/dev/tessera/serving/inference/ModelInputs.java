package dev.tessera.serving.inference;

import java.util.List;

/**
 * What an endpoint's current model takes and who it is: for request codecs (to tell keys from full
 * feature vectors) and model metadata.
 *
 * @param entityKeyField the request field with the lookup key, e.g. customer_id
 * @param columns the model's input columns in order (the names in the prediction log)
 * @param servedModel served entity, e.g. churn_model-1
 * @param modelName registered model name
 * @param modelVersion registered model version
 */
public record ModelInputs(
    String entityKeyField,
    List<String> columns,
    String servedModel,
    String modelName,
    String modelVersion) {

  public ModelInputs {
    columns = List.copyOf(columns);
  }

  /** Number of model inputs. */
  public int width() {
    return columns.size();
  }
}
