package dev.tessera.serving.scoring;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.tessera.serving.training.OnnxProtos;
import java.util.List;

/**
 * Small ONNX graphs built in tests, shaped like the outputs of real converters. Every graph starts
 * from the same linear model over {@link #FEATURES} features: {@code logit = features · W + b},
 * {@code p = Sigmoid(logit)} and {@code q = 1 - p}, each {@code [N, 1]}.
 */
final class TestGraphs {
  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
  static final int INT64 = TensorProto.DataType.INT64_VALUE;
  static final int FEATURES = 3;
  static final float[] WEIGHTS = {0.5f, -1.25f, 2.0f};
  static final float BIAS = -0.25f;

  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test_graph");

  private TestGraphs() {}

  /** A graph with nothing in it yet. */
  static TestGraphs empty() {
    return new TestGraphs();
  }

  /** A graph with input {@code features} float [N, 3] and the values logit, p and q. */
  static TestGraphs linear() {
    return empty()
        .input(tensor("features", FLOAT, "N", FEATURES))
        .initializer(floats("W", new long[] {FEATURES, 1}, WEIGHTS))
        .initializer(floats("b", new long[] {1}, BIAS))
        .initializer(floats("one", new long[] {1}, 1f))
        .node("MatMul", List.of("features", "W"), "product")
        .node("Add", List.of("product", "b"), "logit")
        .node("Sigmoid", List.of("logit"), "p")
        .node("Sub", List.of("one", "p"), "q");
  }

  TestGraphs input(ValueInfoProto input) {
    graph.addInput(input);
    return this;
  }

  TestGraphs output(ValueInfoProto output) {
    graph.addOutput(output);
    return this;
  }

  TestGraphs initializer(TensorProto tensor) {
    graph.addInitializer(tensor);
    return this;
  }

  TestGraphs node(String op, List<String> inputs, String output, AttributeProto... attributes) {
    return node("", op, inputs, output, attributes);
  }

  TestGraphs node(
      String domain, String op, List<String> inputs, String output, AttributeProto... attributes) {
    graph.addNode(
        NodeProto.newBuilder()
            .setDomain(domain)
            .setOpType(op)
            .setName(output + "_" + op)
            .addAllInput(inputs)
            .addOutput(output)
            .addAllAttribute(List.of(attributes)));
    return this;
  }

  byte[] build() {
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("tessera-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  static ValueInfoProto tensor(String name, int elementType, Object... dims) {
    return OnnxProtos.tensor(name, elementType, dims);
  }

  /** A ZipMap value: {@code seq(map(int64, tensor(float)))}, as skl2onnx declares it. */
  static ValueInfoProto zipMap(String name) {
    TypeProto floatValue =
        TypeProto.newBuilder()
            .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT))
            .build();
    TypeProto map =
        TypeProto.newBuilder()
            .setMapType(TypeProto.Map.newBuilder().setKeyType(INT64).setValueType(floatValue))
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map)))
        .build();
  }

  static TensorProto floats(String name, long[] dims, float... values) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    for (float value : values) {
      tensor.addFloatData(value);
    }
    return tensor.build();
  }

  static TensorProto longs(String name, long[] dims, long... values) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(INT64);
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    for (long value : values) {
      tensor.addInt64Data(value);
    }
    return tensor.build();
  }

  static AttributeProto intAttribute(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto intsAttribute(String name, long... values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long value : values) {
      attribute.addInts(value);
    }
    return attribute.build();
  }

  /** {@code w·x + b} of row {@code row} of row-major {@code features}, in double. */
  static double logit(float[] features, int row) {
    double logit = BIAS;
    for (int j = 0; j < FEATURES; j++) {
      logit += (double) WEIGHTS[j] * features[row * FEATURES + j];
    }
    return logit;
  }

  static double sigmoid(double logit) {
    return 1.0 / (1.0 + Math.exp(-logit));
  }
}
