package dev.tessera.serving.inference;

import java.util.List;

/**
 * What an endpoint's current model takes and who it is: for request codecs (to tell keys from full
 * feature vectors) and model metadata.
 *
 * @param entityKeyFields the request fields whose values make the lookup key, e.g. [customer_id],
 *     or [user_id, merchant_id] for an entity of two keys
 * @param columns the model's input columns in order (the names in the prediction log)
 * @param servedModel served entity, e.g. churn_model-1
 * @param modelName registered model name
 * @param modelVersion registered model version
 */
public record ModelInputs(
    List<String> entityKeyFields,
    List<String> columns,
    String servedModel,
    String modelName,
    String modelVersion) {

  public ModelInputs {
    columns = List.copyOf(columns);
    entityKeyFields = List.copyOf(entityKeyFields);
  }

  /** The key fields as messages name them: {@code customer_id}, {@code user_id and merchant_id}. */
  public String entityKeyField() {
    return String.join(" and ", entityKeyFields);
  }

  /** Whether the key is made of several fields. */
  public boolean compositeKey() {
    return entityKeyFields.size() > 1;
  }

  /** Number of model inputs. */
  public int width() {
    return columns.size();
  }
}
