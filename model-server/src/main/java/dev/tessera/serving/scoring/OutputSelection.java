package dev.tessera.serving.scoring;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one output a model is scored from, how to read it, and what its scores mean; decided once
 * when a model is loaded. The rules are documented on {@link OnnxScorer}.
 */
record OutputSelection(String outputName, OutputAdapter adapter, ModelKind kind) {

  /**
   * Applies the selection rules to a model's outputs.
   *
   * @throws IllegalArgumentException if no output fits, several fit equally, or the model has more
   *     than two classes
   */
  static OutputSelection of(Map<String, NodeInfo> outputs) {
    boolean hasLabel = false;
    List<NodeInfo> probabilityTensors = new ArrayList<>();
    List<NodeInfo> otherTensors = new ArrayList<>();
    List<NodeInfo> zipMaps = new ArrayList<>();
    for (NodeInfo output : outputs.values()) {
      if (output.getInfo() instanceof TensorInfo tensor) {
        if (isFloating(tensor.type)) {
          (isProbabilityName(output.getName()) ? probabilityTensors : otherTensors).add(output);
        } else if (isLabel(tensor)) {
          hasLabel = true;
        }
      } else if (output.getInfo() instanceof SequenceInfo sequence && isZipMap(sequence)) {
        zipMaps.add(output);
      }
    }
    NodeInfo chosen;
    if (!probabilityTensors.isEmpty()) {
      chosen = single(probabilityTensors, outputs);
    } else if (!zipMaps.isEmpty()) {
      String name = single(zipMaps, outputs).getName();
      return new OutputSelection(name, new ZipMapOutputAdapter(name), ModelKind.CLASSIFIER);
    } else if (!otherTensors.isEmpty()) {
      chosen = single(otherTensors, outputs);
    } else {
      throw unsupported("no float tensor or ZipMap output", outputs);
    }
    return ofTensor(chosen, hasLabel, outputs);
  }

  private static OutputSelection ofTensor(
      NodeInfo output, boolean hasLabel, Map<String, NodeInfo> outputs) {
    TensorInfo tensor = (TensorInfo) output.getInfo();
    long[] shape = tensor.getShape();
    long columns;
    if (shape.length == 1) {
      columns = 1;
    } else if (shape.length == 2) {
      columns = shape[1];
    } else {
      throw unsupported("output '" + output.getName() + "' is not [N], [N,1] or [N,2]", outputs);
    }
    if (columns > 2) {
      throw unsupported(
          "output '"
              + output.getName()
              + "' has "
              + columns
              + " columns; only binary classifiers and single-value regressors are served"
              + " (multiclass models are not supported)",
          outputs);
    }
    if (columns < 1) {
      throw unsupported(
          "output '" + output.getName() + "' does not declare its number of columns", outputs);
    }
    String name = output.getName();
    boolean doubles = tensor.type == OnnxJavaType.DOUBLE;
    boolean classifier = hasLabel || columns == 2 || isProbabilityName(name);
    return new OutputSelection(
        name,
        new TensorOutputAdapter(name, doubles, (int) columns, (int) columns - 1),
        classifier ? ModelKind.CLASSIFIER : ModelKind.REGRESSOR);
  }

  /** {@code probability}, {@code probabilities}, {@code output_probability}, {@code probs}... */
  static boolean isProbabilityName(String name) {
    return name.toLowerCase(Locale.ROOT).contains("prob");
  }

  private static boolean isFloating(OnnxJavaType type) {
    return type == OnnxJavaType.FLOAT || type == OnnxJavaType.DOUBLE;
  }

  /** A predicted class per row: integers or strings, shaped {@code [N]} or {@code [N,1]}. */
  private static boolean isLabel(TensorInfo tensor) {
    long[] shape = tensor.getShape();
    boolean perRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
    return perRow
        && switch (tensor.type) {
          case INT64, INT32, INT16, INT8, UINT8, STRING -> true;
          default -> false;
        };
  }

  private static boolean isZipMap(SequenceInfo sequence) {
    MapInfo map = sequence.mapInfo;
    return sequence.isSequenceOfMaps()
        && map.keyType == OnnxJavaType.INT64
        && isFloating(map.valueType);
  }

  private static NodeInfo single(List<NodeInfo> candidates, Map<String, NodeInfo> outputs) {
    if (candidates.size() > 1) {
      List<String> names = new ArrayList<>();
      candidates.forEach(candidate -> names.add(candidate.getName()));
      throw unsupported("cannot tell which of " + names + " is the score", outputs);
    }
    return candidates.get(0);
  }

  private static IllegalArgumentException unsupported(
      String reason, Map<String, NodeInfo> outputs) {
    return new IllegalArgumentException(
        "Unsupported model outputs: "
            + reason
            + "; expected a float tensor [N], [N,1] or [N,2] (optionally with a label output),"
            + " or a ZipMap seq(map(int64, float)); got "
            + ValueInfos.describe(outputs));
  }
}
