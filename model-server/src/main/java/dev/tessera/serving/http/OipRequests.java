package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.serving.inference.InvocationRow;
import dev.tessera.serving.inference.ModelInputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Open Inference Protocol v2 infer requests into an {@link InvocationRequest}. The input
 * tensors are either
 *
 * <ul>
 *   <li>a BYTES tensor named by the entity key field ({@code customer_id}), shape {@code [N]} (or
 *       {@code [N, 1]}), plus optional numeric tensors of the same shape, one per request field
 *       ({@code amount}, {@code lat}, {@code lon}: FP64, FP32 or INT*), or
 *   <li>a FP32 (or FP64) tensor {@code features}, shape {@code [N, F]}, the model's inputs in order
 *       (scored as given, no lookup), optionally with the key tensor for the log.
 * </ul>
 *
 * <p>{@code data} may be flat (row-major) or nested; its element count must match the shape. The
 * request {@code id} is the caller's id, echoed and logged.
 */
final class OipRequests {
  static final String FEATURES = "features";
  static final String EXPECTED =
      "{\"inputs\": [{\"name\": \"customer_id\", \"datatype\": \"BYTES\", \"shape\": [1],"
          + " \"data\": [\"C-1\"]}]}";
  private static final Set<String> FIELDS = Set.of("id", "parameters", "inputs", "outputs");
  private static final Set<String> TENSOR_FIELDS =
      Set.of("name", "shape", "datatype", "data", "parameters");
  private static final Set<String> NUMERIC =
      Set.of(
          "FP64", "FP32", "FP16", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32",
          "UINT64");

  private OipRequests() {}

  private record Tensor(String name, String datatype, List<Long> shape, List<JsonNode> data) {
    long rows() {
      return shape.get(0);
    }
  }

  static InvocationRequest parse(JsonNode body, ModelInputs model, int maxRows) {
    JsonBodies.onlyFields(body, FIELDS, "an infer request");
    JsonNode id = body.get("id");
    if (id != null && !id.isTextual()) {
      throw ApiException.invalidParameter("id must be a string");
    }
    JsonNode parameters = body.get("parameters");
    if (parameters != null && !parameters.isObject()) {
      throw ApiException.invalidParameter("parameters must be an object");
    }
    JsonNode outputs = body.get("outputs");
    if (outputs != null && !outputs.isArray()) {
      throw ApiException.invalidParameter("outputs must be a list");
    }
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw ApiException.malformed(
          "Expected inputs: a non-empty list of tensors, e.g. " + EXPECTED);
    }
    var tensors = new LinkedHashMap<String, Tensor>();
    for (int i = 0; i < inputs.size(); i++) {
      Tensor t = tensor(inputs.get(i), "inputs[" + i + "]", maxRows);
      if (tensors.put(t.name(), t) != null) {
        throw ApiException.invalidParameter("Two input tensors are named '" + t.name() + "'");
      }
    }
    String keyField = model.entityKeyField();
    List<Tensor> keyTensors = new ArrayList<>();
    for (String field : model.entityKeyFields()) {
      Tensor t = tensors.remove(field);
      if (t != null) {
        keyTensors.add(t);
      }
    }
    if (!keyTensors.isEmpty() && keyTensors.size() < model.entityKeyFields().size()) {
      throw ApiException.invalidParameter(
          "Give a BYTES tensor for every key field " + model.entityKeyFields());
    }
    Tensor keys = keyTensors.isEmpty() ? null : keyTensors.get(0);
    Tensor features = tensors.remove(FEATURES);
    long n =
        (features != null ? features : keys != null ? keys : tensors.values().iterator().next())
            .rows();
    var sized = new ArrayList<Tensor>(keyTensors);
    sized.add(features);
    for (Tensor t : sized) {
      if (t != null && t.rows() != n) {
        throw ApiException.invalidParameter(
            "Input tensors disagree on the batch size: '"
                + t.name()
                + "' has "
                + t.rows()
                + " rows, expected "
                + n);
      }
    }
    List<String> keyValues = keys == null ? null : keys(keyTensors);
    var rows = new ArrayList<InvocationRow>((int) n);
    if (features != null) {
      if (!tensors.isEmpty()) {
        throw ApiException.invalidParameter(
            "With a '"
                + FEATURES
                + "' tensor only '"
                + keyField
                + "' may be given; got "
                + tensors.keySet());
      }
      float[][] vectors = vectors(features, model);
      for (int r = 0; r < n; r++) {
        rows.add(InvocationRow.vector(keyValues == null ? null : keyValues.get(r), vectors[r]));
      }
      return new InvocationRequest(rows, id == null ? null : id.asText());
    }
    if (keys == null) {
      throw ApiException.invalidParameter(
          "Give a BYTES tensor '"
              + keyField
              + "' of keys, or a FP32 tensor '"
              + FEATURES
              + "' [N, "
              + model.width()
              + "] of the model's inputs "
              + model.columns());
    }
    var fields = new LinkedHashMap<String, double[]>();
    for (Tensor t : tensors.values()) {
      fields.put(t.name(), requestField(t, n));
    }
    for (int r = 0; r < n; r++) {
      var request = new HashMap<String, Double>();
      for (Map.Entry<String, double[]> f : fields.entrySet()) {
        request.put(f.getKey(), f.getValue()[r]);
      }
      rows.add(InvocationRow.lookup(keyValues.get(r), request));
    }
    return new InvocationRequest(rows, id == null ? null : id.asText());
  }

  private static Tensor tensor(JsonNode node, String where, int maxRows) {
    if (!node.isObject()) {
      throw ApiException.invalidParameter(
          where + " must be a tensor object {name, shape, datatype, data}");
    }
    JsonBodies.onlyFields(node, TENSOR_FIELDS, "a tensor");
    JsonNode name = node.get("name");
    JsonNode datatype = node.get("datatype");
    JsonNode shape = node.get("shape");
    JsonNode data = node.get("data");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw ApiException.invalidParameter(where + ".name must be a non-empty string");
    }
    String label = "input '" + name.asText() + "'";
    if (datatype == null || !datatype.isTextual()) {
      throw ApiException.invalidParameter(label + " needs a datatype (e.g. BYTES, FP32, FP64)");
    }
    if (shape == null || !shape.isArray() || shape.isEmpty() || shape.size() > 2) {
      throw ApiException.invalidParameter(label + " needs a shape [N] or [N, F]");
    }
    var dims = new ArrayList<Long>();
    long count = 1;
    for (JsonNode d : shape) {
      if (!d.canConvertToLong()
          || !d.isIntegralNumber()
          || d.asLong() < 0
          || d.asLong() > Integer.MAX_VALUE) {
        throw ApiException.invalidParameter(label + " has an invalid shape " + shape);
      }
      dims.add(d.asLong());
      count *= d.asLong();
    }
    if (dims.get(0) == 0) {
      throw ApiException.invalidParameter(label + " has no rows");
    }
    if (dims.get(0) > maxRows) {
      throw ApiException.invalidParameter(
          label + " has " + dims.get(0) + " rows; at most " + maxRows + " per request");
    }
    if (data == null || !data.isArray()) {
      throw ApiException.invalidParameter(label + " needs data: a list");
    }
    var flat = new ArrayList<JsonNode>();
    flatten(data, flat, count, label, dims.size() - 1);
    if (flat.size() != count) {
      throw ApiException.invalidParameter(
          label + " has " + flat.size() + " data elements but shape " + shape + " needs " + count);
    }
    return new Tensor(name.asText(), datatype.asText(), dims, flat);
  }

  /** Row-major elements of {@code data}, which may nest at most {@code levels} lists deep. */
  private static void flatten(
      JsonNode data, List<JsonNode> out, long limit, String label, int levels) {
    for (JsonNode e : data) {
      if (e.isArray()) {
        if (levels == 0) {
          throw ApiException.invalidParameter(label + " has data nested deeper than its shape");
        }
        flatten(e, out, limit, label, levels - 1);
      } else {
        out.add(e);
      }
      if (out.size() > limit) {
        throw ApiException.invalidParameter(label + " has more data elements than its shape says");
      }
    }
  }

  /**
   * The rows' keys: one tensor's strings, or several tensors' joined per row ({@link EntityKey}).
   */
  private static List<String> keys(List<Tensor> tensors) {
    if (tensors.size() == 1) {
      return keys(tensors.get(0));
    }
    var columns = new ArrayList<List<String>>();
    tensors.forEach(t -> columns.add(keys(t)));
    var joined = new ArrayList<String>(columns.get(0).size());
    for (int r = 0; r < columns.get(0).size(); r++) {
      String[] values = new String[columns.size()];
      for (int c = 0; c < values.length; c++) {
        values[c] = columns.get(c).get(r);
      }
      joined.add(EntityKey.of(values));
    }
    return joined;
  }

  private static List<String> keys(Tensor t) {
    if (!t.datatype().equals("BYTES")) {
      throw ApiException.invalidParameter(
          "input '" + t.name() + "' must be BYTES, not " + t.datatype());
    }
    if (t.shape().size() == 2 && t.shape().get(1) != 1) {
      throw ApiException.invalidParameter("input '" + t.name() + "' must have shape [N] or [N, 1]");
    }
    var keys = new ArrayList<String>(t.data().size());
    for (int i = 0; i < t.data().size(); i++) {
      JsonNode k = t.data().get(i);
      if (!k.isTextual() || k.asText().isEmpty()) {
        throw ApiException.invalidParameter(
            "input '" + t.name() + "' element " + i + " must be a non-empty string");
      }
      keys.add(k.asText());
    }
    return keys;
  }

  private static double[] requestField(Tensor t, long n) {
    String label = "input '" + t.name() + "'";
    if (!NUMERIC.contains(t.datatype())) {
      throw ApiException.invalidParameter(
          label
              + " is a request field for on-demand features and must be numeric (FP64, FP32,"
              + " INT*), not "
              + t.datatype());
    }
    if (t.rows() != n || (t.shape().size() == 2 && t.shape().get(1) != 1)) {
      throw ApiException.invalidParameter(
          label + " must have shape [" + n + "] like the keys, not " + t.shape());
    }
    double[] values = new double[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = MlflowRequests.number(t.data().get(i), label + " element " + i);
    }
    return values;
  }

  private static float[][] vectors(Tensor t, ModelInputs model) {
    String label = "input '" + FEATURES + "'";
    if (!t.datatype().equals("FP32") && !t.datatype().equals("FP64")) {
      throw ApiException.invalidParameter(label + " must be FP32 (or FP64), not " + t.datatype());
    }
    if (t.shape().size() != 2 || t.shape().get(1) != model.width()) {
      throw ApiException.invalidParameter(
          label
              + " must have shape [N, "
              + model.width()
              + "] (the model's inputs "
              + model.columns()
              + "), not "
              + t.shape());
    }
    int n = (int) t.rows();
    int width = model.width();
    float[][] vectors = new float[n][width];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < width; c++) {
        vectors[r][c] =
            MlflowRequests.feature(
                t.data().get(r * width + c), label + " element [" + r + ", " + c + "]");
      }
    }
    return vectors;
  }
}
