package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class XgboostOnnxExporterTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final List<String> NAMES = List.of("amount", "tenure");

  /**
   * One tree in XGBoost 3.0's JSON layout, ids not in preorder: root 0 splits {@code tenure < 0.5}
   * (missing goes left) into node 1 and leaf 2 (0.75); node 1 splits {@code amount < -1.25}
   * (missing goes right) into leaves 3 (-0.5) and 4 (0.25). Base score 0.25.
   */
  private static final String HAND_MODEL =
      """
      {"learner": {
        "attributes": {}, "feature_names": [], "feature_types": [],
        "gradient_booster": {
          "model": {
            "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "1"},
            "iteration_indptr": [0, 1],
            "tree_info": [0],
            "trees": [{
              "base_weights": [0.1, -0.2, 0.75, -0.5, 0.25],
              "categories": [], "categories_nodes": [], "categories_segments": [],
              "categories_sizes": [],
              "default_left": [1, 0, 0, 0, 0],
              "id": 0,
              "left_children": [1, 3, -1, -1, -1],
              "loss_changes": [4.0, 2.0, 0.0, 0.0, 0.0],
              "parents": [2147483647, 0, 0, 1, 1],
              "right_children": [2, 4, -1, -1, -1],
              "split_conditions": [5E-1, -1.25E0, 7.5E-1, -5E-1, 2.5E-1],
              "split_indices": [1, 0, 0, 0, 0],
              "split_type": [0, 0, 0, 0, 0],
              "sum_hessian": [10.0, 6.0, 4.0, 3.0, 3.0],
              "tree_param": {"num_deleted": "0", "num_feature": "2", "num_nodes": "5",
                             "size_leaf_vector": "1"}
            }]
          },
          "name": "gbtree"
        },
        "learner_model_param": {"base_score": "2.5E-1", "boost_from_average": "1",
                                "num_class": "0", "num_feature": "2", "num_target": "1"},
        "objective": {"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}}
      },
      "version": [3, 0, 4]}
      """;

  @Test
  void shouldMapAHandWrittenTreeNodeByNodeInPreorder() throws Exception {
    NodeProto node = ensemble(XgboostOnnxExporter.export(bytes(HAND_MODEL), NAMES, "hand"));

    assertThat(node.getOpType()).isEqualTo("TreeEnsembleClassifier");
    assertThat(node.getDomain()).isEqualTo("ai.onnx.ml");
    // XGBoost ids 0, 1, 3, 4, 2 become 0, 1, 2, 3, 4.
    assertThat(ints(node, "nodes_treeids")).containsExactly(0L, 0L, 0L, 0L, 0L);
    assertThat(ints(node, "nodes_nodeids")).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(strings(node, "nodes_modes"))
        .containsExactly("BRANCH_LT", "BRANCH_LT", "LEAF", "LEAF", "LEAF");
    assertThat(ints(node, "nodes_featureids")).containsExactly(1L, 0L, 0L, 0L, 0L);
    assertThat(floats(node, "nodes_values")).containsExactly(0.5f, -1.25f, 0f, 0f, 0f);
    assertThat(ints(node, "nodes_truenodeids")).containsExactly(1L, 2L, 0L, 0L, 0L);
    assertThat(ints(node, "nodes_falsenodeids")).containsExactly(4L, 3L, 0L, 0L, 0L);
    assertThat(ints(node, "nodes_missing_value_tracks_true")).containsExactly(1L, 0L, 0L, 0L, 0L);
    assertThat(ints(node, "class_treeids")).containsExactly(0L, 0L, 0L);
    assertThat(ints(node, "class_nodeids")).containsExactly(2L, 3L, 4L);
    assertThat(ints(node, "class_ids")).containsExactly(0L, 0L, 0L);
    assertThat(floats(node, "class_weights")).containsExactly(-0.5f, 0.25f, 0.75f);
    assertThat(ints(node, "classlabels_int64s")).containsExactly(0L, 1L);
    assertThat(floats(node, "base_values")).containsExactly((float) Math.log(0.25 / 0.75));
    assertThat(string(node, "post_transform")).isEqualTo("LOGISTIC");
  }

  @Test
  void shouldScoreTheHandWrittenTreeAsXgboostDoes() throws Exception {
    byte[] onnx = XgboostOnnxExporter.export(bytes(HAND_MODEL), NAMES, "hand");
    float nan = Float.NaN;
    float[] rows = {
      0f,
      0f, // tenure 0 < 0.5 left; amount 0 >= -1.25 right: 0.25
      -2f,
      0.4f, // left; -2 < -1.25 left: -0.5
      nan,
      nan, // missing tenure goes left, missing amount goes right: 0.25
      5f,
      0.5f, // 0.5 is not < 0.5: right, 0.75
      -1.25f,
      0.49f, // left; -1.25 is not < -1.25: right, 0.25
      -3f,
      nan // missing tenure left; -3 < -1.25 left: -0.5
    };
    double[] leaves = {0.25, -0.5, 0.25, 0.75, 0.25, -0.5};

    float[][] probabilities;
    try (OrtSession session = ENV.createSession(onnx);
        OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(rows), new long[] {6, 2});
        OrtSession.Result result = session.run(Map.of("features", input))) {
      probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
    }
    float[][] xgboost = XgboostTestSupport.predict(bytes(HAND_MODEL), rows, 6, 2);

    for (int i = 0; i < leaves.length; i++) {
      double expected = 1 / (1 + Math.exp(-(Math.log(0.25 / 0.75) + leaves[i])));
      assertThat((double) probabilities[i][1]).as("row %d", i).isCloseTo(expected, within(1e-6));
      assertThat((double) xgboost[i][0]).as("XGBoost, row %d", i).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void shouldDropNodesNoBranchReaches() throws Exception {
    // XGBoost can leave pruned nodes in its arrays; node 5 here hangs off nothing.
    String withOrphan =
        HAND_MODEL
            .replace("\"num_nodes\": \"5\"", "\"num_nodes\": \"6\"")
            .replace("[0.1, -0.2, 0.75, -0.5, 0.25]", "[0.1, -0.2, 0.75, -0.5, 0.25, 9.0]")
            .replace("\"default_left\": [1, 0, 0, 0, 0]", "\"default_left\": [1, 0, 0, 0, 0, 0]")
            .replace("[1, 3, -1, -1, -1]", "[1, 3, -1, -1, -1, -1]")
            .replace("[2, 4, -1, -1, -1]", "[2, 4, -1, -1, -1, -1]")
            .replace(
                "[5E-1, -1.25E0, 7.5E-1, -5E-1, 2.5E-1]",
                "[5E-1, -1.25E0, 7.5E-1, -5E-1, 2.5E-1, 9E0]")
            .replace("\"split_indices\": [1, 0, 0, 0, 0]", "\"split_indices\": [1, 0, 0, 0, 0, 0]")
            .replace("\"split_type\": [0, 0, 0, 0, 0]", "\"split_type\": [0, 0, 0, 0, 0, 0]");

    NodeProto node = ensemble(XgboostOnnxExporter.export(bytes(withOrphan), NAMES, "orphan"));

    assertThat(ints(node, "nodes_nodeids")).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(floats(node, "class_weights")).containsExactly(-0.5f, 0.25f, 0.75f);
  }

  @Test
  void shouldDeclareClassifierGraphOpsetsAndMetadata() throws Exception {
    ModelProto model =
        ModelProto.parseFrom(XgboostOnnxExporter.export(bytes(HAND_MODEL), NAMES, "churn v4"));

    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getProducerName()).isEqualTo("tessera");
    assertThat(model.getDocString()).isEqualTo("churn v4");
    assertThat(model.getOpsetImportList())
        .extracting(OperatorSetIdProto::getDomain, OperatorSetIdProto::getVersion)
        .containsExactly(tuple("", 17L), tuple("ai.onnx.ml", 3L));
    assertThat(model.getGraph().getName()).isEqualTo("tessera_xgboost");
    assertThat(model.getGraph().getInputList())
        .singleElement()
        .satisfies(
            input -> {
              assertThat(input.getName()).isEqualTo("features");
              assertThat(signature(input)).isEqualTo("1[N,2]");
            });
    assertThat(model.getGraph().getOutputList())
        .extracting(ValueInfoProto::getName, XgboostOnnxExporterTest::signature)
        .containsExactly(
            tuple("label", TensorProto.DataType.INT64_VALUE + "[N]"),
            tuple("probabilities", TensorProto.DataType.FLOAT_VALUE + "[N,2]"));
    assertThat(model.getMetadataPropsList())
        .extracting(StringStringEntryProto::getKey, StringStringEntryProto::getValue)
        .containsExactly(
            tuple("tessera.feature_names", "amount,tenure"),
            tuple("tessera.description", "churn v4"));
  }

  @Test
  void shouldExportSquaredErrorAsRegressorWithRawBaseScore() throws Exception {
    String regressor =
        HAND_MODEL
            .replace("binary:logistic", "reg:squarederror")
            .replace("\"base_score\": \"2.5E-1\"", "\"base_score\": \"1.5E1\"");

    ModelProto model =
        ModelProto.parseFrom(XgboostOnnxExporter.export(bytes(regressor), NAMES, "reg"));
    NodeProto node = model.getGraph().getNode(0);

    assertThat(node.getOpType()).isEqualTo("TreeEnsembleRegressor");
    assertThat(floats(node, "base_values")).containsExactly(15f);
    assertThat(string(node, "post_transform")).isEqualTo("NONE");
    assertThat(floats(node, "target_weights")).containsExactly(-0.5f, 0.25f, 0.75f);
    assertThat(model.getGraph().getOutputList())
        .singleElement()
        .satisfies(
            output -> {
              assertThat(output.getName()).isEqualTo("variable");
              assertThat(signature(output)).isEqualTo("1[N,1]");
            });
  }

  @Test
  void shouldAddAGuardTreeOnlyWhenNoLeafIsNegative() throws Exception {
    NodeProto mixed = ensemble(XgboostOnnxExporter.export(bytes(HAND_MODEL), NAMES, "mixed"));
    String allPositive = HAND_MODEL.replace("-5E-1, 2.5E-1]", "5E-1, 2.5E-1]");
    NodeProto guarded = ensemble(XgboostOnnxExporter.export(bytes(allPositive), NAMES, "pos"));

    assertThat(ints(mixed, "nodes_treeids")).doesNotContain(1L);
    assertThat(ints(guarded, "nodes_treeids")).containsExactly(0L, 0L, 0L, 0L, 0L, 1L);
    assertThat(strings(guarded, "nodes_modes")).endsWith("LEAF");
    assertThat(ints(guarded, "class_treeids")).containsExactly(0L, 0L, 0L, 1L);
    assertThat(floats(guarded, "class_weights"))
        .containsExactly(0.5f, 0.25f, 0.75f, -Float.MIN_NORMAL);
  }

  @Test
  void shouldReadBaseScoreInEveryFormat() throws Exception {
    assertThat(XgboostOnnxExporter.baseScore(new TextNode("5E-1"))).isEqualTo(0.5f);
    assertThat(XgboostOnnxExporter.baseScore(new TextNode("[5E-1]"))).isEqualTo(0.5f);
    assertThat(XgboostOnnxExporter.baseScore(new TextNode(" [ 2.5E-1 ] "))).isEqualTo(0.25f);
    assertThat(XgboostOnnxExporter.baseScore(new TextNode("0.5"))).isEqualTo(0.5f);
    assertThatThrownBy(() -> XgboostOnnxExporter.baseScore(new TextNode("[5E-1,2E-1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The XGBoost model has one base_score per target ([5E-1,2E-1]); only single-target"
                + " models are exported");
    assertThatThrownBy(() -> XgboostOnnxExporter.baseScore(new TextNode("half")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read base_score 'half' of the XGBoost model as a finite float");
    // XGBoost 3.1 writes the vector form: the same model either way.
    String vectorForm = HAND_MODEL.replace("\"2.5E-1\"", "\"[2.5E-1]\"");
    assertThat(XgboostOnnxExporter.export(bytes(vectorForm), NAMES, "v"))
        .isEqualTo(XgboostOnnxExporter.export(bytes(HAND_MODEL), NAMES, "v"));
  }

  @Test
  void shouldRefuseBaseScoreOutsideTheUnitIntervalForLogistic() {
    String certain = HAND_MODEL.replace("\"2.5E-1\"", "\"1E0\"");

    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes(certain), NAMES, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base_score of a binary:logistic model must be in (0, 1), got 1.0");
  }

  @Test
  void shouldRefuseMulticlassObjective() throws Exception {
    float[] x = new float[60];
    float[] y = new float[30];
    for (int i = 0; i < 30; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = i % 7;
      y[i] = i % 3;
    }
    byte[] multiclass =
        XgboostOnnxParityTest.trainDirectly(
            x, y, 2, Map.of("objective", "multi:softprob", "num_class", "3", "nthread", "1"), 2);

    assertThatThrownBy(() -> XgboostOnnxExporter.export(multiclass, NAMES, "multi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "XGBoost objective multi:softprob is multiclass, which is not exported: Tessera"
                + " serves binary classifiers (binary:logistic) and single-value regressors"
                + " (reg:squarederror)");
  }

  @Test
  void shouldRefuseOtherObjectivesBoostersAndTreeKinds() {
    assertThatThrownBy(() -> export(HAND_MODEL.replace("binary:logistic", "binary:logitraw")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "XGBoost objective binary:logitraw is not exported; supported are binary:logistic and"
                + " reg:squarederror");
    assertThatThrownBy(() -> export(HAND_MODEL.replace("binary:logistic", "reg:logistic")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("XGBoost objective reg:logistic is not exported");
    assertThatThrownBy(() -> export(HAND_MODEL.replace("\"gbtree\"", "\"dart\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "XGBoost booster 'dart' is not exported: only gbtree models are (DART weighs its"
                + " trees at prediction)");
    assertThatThrownBy(
            () ->
                export(
                    HAND_MODEL.replace(
                        "\"size_leaf_vector\": \"1\"", "\"size_leaf_vector\": \"3\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Tree 0 has vector leaves (size_leaf_vector 3); only scalar-leaf trees are exported");
    assertThatThrownBy(
            () ->
                export(
                    HAND_MODEL.replace(
                        "\"split_type\": [0, 0, 0, 0, 0]", "\"split_type\": [0, 1, 0, 0, 0]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tree 0 has categorical splits; only numerical splits are exported");
    assertThatThrownBy(
            () -> export(HAND_MODEL.replace("\"num_target\": \"1\"", "\"num_target\": \"2\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The XGBoost model has 2 targets; only single-target models are exported");
  }

  @Test
  void shouldRefuseMalformedModels() {
    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes("not json"), NAMES, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not an XGBoost JSON model (8 bytes): ");
    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes("{}"), NAMES, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an XGBoost JSON model: /learner/objective/name is missing");
    assertThatThrownBy(() -> export(HAND_MODEL.replace("[1, 3, -1, -1, -1]", "[1, 7, -1, -1, -1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tree 0 is malformed: node 7 is out of range or reached twice");
    assertThatThrownBy(() -> export(HAND_MODEL.replace("[1, 3, -1, -1, -1]", "[1, 0, -1, -1, -1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tree 0 is malformed: node 0 is out of range or reached twice");
    assertThatThrownBy(() -> export(HAND_MODEL.replace("[2, 4, -1, -1, -1]", "[2, 4, -1, -1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tree 0 is malformed: right_children has 4 entries, expected num_nodes 5");
    assertThatThrownBy(
            () ->
                export(
                    HAND_MODEL.replace(
                        "\"split_indices\": [1, 0, 0, 0, 0]",
                        "\"split_indices\": [2, 0, 0, 0, 0]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tree 0, node 0 splits on feature 2 but the model has 2 features");
  }

  @Test
  void shouldCheckFeatureNames() throws Exception {
    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes(HAND_MODEL), List.of("a"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The XGBoost model has 2 features, got 1 feature names [a]");
    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes(HAND_MODEL), List.of("a", "a"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Feature names must be unique, non-blank and free of commas, got [a, a]");
    assertThatThrownBy(() -> XgboostOnnxExporter.export(bytes(HAND_MODEL), "no names"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The XGBoost model stores no feature names; pass them to export(modelJson,"
                + " featureNames, description)");

    byte[] named =
        bytes(
            HAND_MODEL.replace(
                "\"feature_names\": []", "\"feature_names\": [\"amount\", \"tenure\"]"));
    assertThat(XgboostOnnxExporter.export(named, "named"))
        .isEqualTo(XgboostOnnxExporter.export(named, NAMES, "named"));
    assertThatThrownBy(() -> XgboostOnnxExporter.export(named, List.of("tenure", "amount"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Feature names [tenure, amount] differ from those the XGBoost model was trained with"
                + " [amount, tenure]");
  }

  // ---------------------------------------------------------------------------------------------

  private static byte[] export(String json) {
    return XgboostOnnxExporter.export(bytes(json), NAMES, "");
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static NodeProto ensemble(byte[] onnx) throws Exception {
    return ModelProto.parseFrom(onnx).getGraph().getNode(0);
  }

  private static AttributeProto attribute(NodeProto node, String name) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No attribute " + name));
  }

  private static List<Long> ints(NodeProto node, String name) {
    return attribute(node, name).getIntsList();
  }

  private static List<Float> floats(NodeProto node, String name) {
    return attribute(node, name).getFloatsList();
  }

  private static List<String> strings(NodeProto node, String name) {
    return attribute(node, name).getStringsList().stream()
        .map(ByteString::toStringUtf8)
        .collect(Collectors.toList());
  }

  private static String string(NodeProto node, String name) {
    return attribute(node, name).getS().toStringUtf8();
  }

  /** {@code elementType[dims]}, symbolic dimensions by name: {@code 1[N,2]}. */
  private static String signature(ValueInfoProto value) {
    var tensor = value.getType().getTensorType();
    return tensor.getElemType()
        + tensor.getShape().getDimList().stream()
            .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()))
            .collect(Collectors.joining(",", "[", "]"));
  }
}
