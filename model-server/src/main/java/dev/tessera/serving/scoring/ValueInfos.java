package dev.tessera.serving.scoring;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Short, readable type signatures for error messages: {@code features float[N, 12]}. */
final class ValueInfos {
  private ValueInfos() {}

  static String describe(Map<String, NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return "nothing";
    }
    StringJoiner joined = new StringJoiner(", ");
    nodes.values().forEach(node -> joined.add(node.getName() + " " + describe(node.getInfo())));
    return joined.toString();
  }

  static String describe(ValueInfo info) {
    if (info instanceof TensorInfo tensor) {
      long[] shape = tensor.getShape();
      String[] names = tensor.getDimensionNames();
      StringJoiner dims = new StringJoiner(", ", "[", "]");
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] >= 0) {
          dims.add(Long.toString(shape[i]));
        } else {
          dims.add(i < names.length && !names[i].isEmpty() ? names[i] : "?");
        }
      }
      return type(tensor.type) + dims;
    }
    if (info instanceof MapInfo map) {
      return "map(" + type(map.keyType) + ", " + type(map.valueType) + ")";
    }
    if (info instanceof SequenceInfo sequence) {
      return "seq("
          + (sequence.isSequenceOfMaps()
              ? describe(sequence.mapInfo)
              : type(sequence.sequenceType) + "[]")
          + ")";
    }
    return String.valueOf(info);
  }

  private static String type(OnnxJavaType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
