package dev.tessera.serving.training;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small builders for the protobuf pieces both ONNX exporters use. */
public final class OnnxProtos {
  private OnnxProtos() {}

  /**
   * A tensor value of {@code elementType} ({@code TensorProto.DataType}); each dimension is a
   * {@code String} (symbolic, such as the batch {@code "N"}) or a {@code Number} (fixed).
   */
  public static ValueInfoProto tensor(String name, int elementType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
      if (dim instanceof String symbol) {
        dimension.setDimParam(symbol);
      } else {
        dimension.setDimValue(((Number) dim).longValue());
      }
      shape.addDim(dimension);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape)))
        .build();
  }

  static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  static AttributeProto ints(String name, long[] values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long value : values) {
      attribute.addInts(value);
    }
    return attribute.build();
  }

  static AttributeProto floats(String name, float[] values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
    for (float value : values) {
      attribute.addFloats(value);
    }
    return attribute.build();
  }

  static AttributeProto strings(String name, List<String> values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
    for (String value : values) {
      attribute.addStrings(ByteString.copyFrom(value, StandardCharsets.UTF_8));
    }
    return attribute.build();
  }

  static AttributeProto string(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /**
   * Refuses names that cannot be stored comma-joined in {@code metadata_props} and read back.
   *
   * @throws IllegalArgumentException naming the list if a name is null, blank, repeated or holds a
   *     comma
   */
  static void checkFeatureNames(List<String> featureNames) {
    Set<String> seen = new HashSet<>();
    for (String name : featureNames) {
      if (name == null || name.isBlank() || name.contains(",") || !seen.add(name)) {
        throw new IllegalArgumentException(
            "Feature names must be unique, non-blank and free of commas, got " + featureNames);
      }
    }
  }
}
