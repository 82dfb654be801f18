package dev.tessera.serving.training;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Converts an XGBoost JSON model ({@code Booster.toByteArray("json")}, XGBoost ≥ 1.0) into an
 * ONNX-ML tree ensemble that ONNX Runtime scores like XGBoost's own {@code predict}.
 *
 * <p><b>Objectives.</b> {@code binary:logistic} becomes a {@code TreeEnsembleClassifier} with
 * outputs {@value #LABEL_OUTPUT} int64 {@code [N]} and {@value #PROBABILITIES_OUTPUT} float {@code
 * [N, 2]} (tensors, no ZipMap); {@code reg:squarederror} becomes a {@code TreeEnsembleRegressor}
 * with output {@value #REGRESSION_OUTPUT} float {@code [N, 1]}. Every other objective is refused
 * with a message naming it — multiclass ({@code multi:softprob}, {@code multi:softmax}) because
 * Tessera serves binary classifiers and single-value regressors — as are DART and linear boosters,
 * vector-leaf (multi-target) trees and categorical splits.
 *
 * <p><b>Mapping.</b> Input {@code features} float {@code [N, F]}, {@code N} symbolic, {@code F} the
 * model's {@code num_feature}; IR version 8, default opset 17, {@code ai.onnx.ml} opset 3. Every
 * tree is kept, in XGBoost's order, with nodes renumbered in preorder from the root (nodes XGBoost
 * pruned but left in its arrays are unreachable and dropped). A split is {@code BRANCH_LT}: XGBoost
 * goes left when {@code x < split_condition}; a missing value ({@code NaN}) goes to the child
 * {@code default_left} names, through {@code nodes_missing_value_tracks_true}. A leaf's value is
 * its {@code split_conditions} entry, the leaf value XGBoost predicts with; a single-leaf tree is
 * one {@code LEAF} node. Thresholds and leaf values are float32 in both XGBoost and ONNX, and are
 * read from the JSON's shortest round-trip decimals without going through {@code double}, so they
 * are bit-identical.
 *
 * <p><b>Base score.</b> XGBoost ≥ 1.0 stores {@code learner_model_param.base_score} in the
 * objective's output space ({@code "5E-1"}, or {@code "[5E-1]"} from 3.1), so the classifier's
 * {@code base_values} is {@code logit(base_score)} with post-transform {@code LOGISTIC}, and the
 * regressor's is {@code base_score} itself with {@code NONE}.
 *
 * <p><b>Older ONNX Runtimes.</b> Before 1.26, ONNX Runtime skipped the {@code LOGISTIC} transform
 * of a binary {@code TreeEnsembleClassifier} whose leaf weights are all {@code >= 0} and returned
 * {@code [1 - margin, margin]} (microsoft/onnxruntime#27533); that happens when every tree is a
 * single leaf above the base score. Tessera serves with 1.28, which is fixed, but an exported model
 * may be scored elsewhere, so in that case the exporter adds one single-leaf tree weighing {@code
 * -Float.MIN_NORMAL}: it keeps older runtimes off that path, is lost to rounding when added to a
 * float32 sum above about 1e-31 in magnitude, and a margin closer to 0 than that gives a
 * probability of 0.5 to float precision either way.
 *
 * <p>The feature names, comma-separated, and the description are stored in {@code metadata_props}
 * under {@link LogisticRegressionOnnx#FEATURE_NAMES_KEY} and {@link
 * LogisticRegressionOnnx#DESCRIPTION_KEY}.
 *
 * <pre>{@code
 * XgboostTrainer.Result trained = XgboostTrainer.train(set, params, 42L);
 * byte[] onnx = XgboostOnnxExporter.export(trained.modelJson(), trained.featureNames(), "churn v4");
 * try (OnnxScorer scorer = OnnxScorer.load(env, onnx)) {
 *   double[] probabilities = scorer.score(features, rows);
 * }
 * }</pre>
 */
public final class XgboostOnnxExporter {
  /** The classifier's predicted class output, int64 {@code [N]}. */
  public static final String LABEL_OUTPUT = "label";

  /** The classifier's class probabilities output, float {@code [N, 2]}; column 1 is class 1. */
  public static final String PROBABILITIES_OUTPUT = "probabilities";

  /** The regressor's output, float {@code [N, 1]}. */
  public static final String REGRESSION_OUTPUT = "variable";

  static final String ML_DOMAIN = "ai.onnx.ml";
  static final long ML_OPSET_VERSION = 3;
  static final String GRAPH_NAME = "tessera_xgboost";

  /** The weight of the guard tree; see the class comment. */
  static final float GUARD_WEIGHT = -Float.MIN_NORMAL;

  private static final String CLASSIFIER_OBJECTIVE = "binary:logistic";
  private static final String REGRESSOR_OBJECTIVE = "reg:squarederror";

  // BigDecimal keeps each number's exact decimal value until Float.parseFloat rounds it once;
  // non-numeric numbers let a NaN in an unused statistic (loss_changes) parse.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private XgboostOnnxExporter() {}

  /**
   * Exports a model whose JSON carries its feature names (XGBoost stores them when the training
   * matrix had names, as {@link XgboostTrainer} sets).
   *
   * @throws IllegalArgumentException if the model stores no feature names, or as {@link
   *     #export(byte[], List, String)}
   */
  public static byte[] export(byte[] modelJson, String description) {
    Model model = parse(modelJson);
    if (model.featureNames().isEmpty()) {
      throw new IllegalArgumentException(
          "The XGBoost model stores no feature names; pass them to export(modelJson,"
              + " featureNames, description)");
    }
    return build(model, model.featureNames(), description);
  }

  /**
   * Exports a model with the given feature names, in input order.
   *
   * @param modelJson the XGBoost JSON model
   * @param featureNames one per model feature; unique, non-blank, without commas, and equal to the
   *     names stored in the model if it stores any
   * @param description stored in {@code metadata_props} and the model's {@code doc_string}
   * @return the serialised {@code ModelProto}
   * @throws IllegalArgumentException if the bytes are not an XGBoost JSON model, the model uses an
   *     objective, booster or tree kind that is not exported, or the names do not fit
   */
  public static byte[] export(byte[] modelJson, List<String> featureNames, String description) {
    Objects.requireNonNull(featureNames, "featureNames");
    return build(parse(modelJson), featureNames, description);
  }

  private enum Kind {
    CLASSIFIER,
    REGRESSOR
  }

  private record Model(
      Kind kind, int featureCount, float baseScore, List<String> featureNames, List<Tree> trees) {}

  /** One tree's arrays as XGBoost stores them, indexed by XGBoost's node id. */
  private record Tree(
      int[] left, int[] right, int[] feature, float[] condition, boolean[] defaultLeft) {}

  // ---------------------------------------------------------------------------------------------
  // Reading the JSON model

  private static Model parse(byte[] modelJson) {
    Objects.requireNonNull(modelJson, "modelJson");
    JsonNode root;
    try {
      root = JSON.readTree(modelJson);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Not an XGBoost JSON model (" + modelJson.length + " bytes): " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "Not an XGBoost JSON model: expected a JSON object with a 'learner'");
    }
    String objective = required(root, "/learner/objective/name").asText();
    Kind kind = kind(objective);
    String booster = required(root, "/learner/gradient_booster/name").asText();
    if (!booster.equals("gbtree")) {
      throw new IllegalArgumentException(
          "XGBoost booster '"
              + booster
              + "' is not exported: only gbtree models are"
              + (booster.equals("dart") ? " (DART weighs its trees at prediction)" : ""));
    }
    JsonNode params = required(root, "/learner/learner_model_param");
    int featureCount = intParam(params, "num_feature");
    if (featureCount < 1) {
      throw new IllegalArgumentException("The XGBoost model has no features (num_feature 0)");
    }
    if (params.has("num_target") && intParam(params, "num_target") != 1) {
      throw new IllegalArgumentException(
          "The XGBoost model has "
              + intParam(params, "num_target")
              + " targets; only single-target models are exported");
    }
    float baseScore = baseScore(required(root, "/learner/learner_model_param/base_score"));

    List<String> names = new ArrayList<>();
    for (JsonNode name : root.at("/learner/feature_names")) {
      names.add(name.asText());
    }
    JsonNode treeInfo = required(root, "/learner/gradient_booster/model/tree_info");
    JsonNode treeNodes = required(root, "/learner/gradient_booster/model/trees");
    if (!treeNodes.isArray() || treeNodes.isEmpty()) {
      throw new IllegalArgumentException("The XGBoost model has no trees");
    }
    List<Tree> trees = new ArrayList<>();
    for (int t = 0; t < treeNodes.size(); t++) {
      if (treeInfo.path(t).asInt(0) != 0) {
        throw new IllegalArgumentException(
            "Tree " + t + " belongs to output group " + treeInfo.path(t) + "; expected 0");
      }
      trees.add(tree(treeNodes.get(t), t, featureCount));
    }
    return new Model(kind, featureCount, baseScore, List.copyOf(names), List.copyOf(trees));
  }

  private static Kind kind(String objective) {
    if (objective.equals(CLASSIFIER_OBJECTIVE)) {
      return Kind.CLASSIFIER;
    }
    if (objective.equals(REGRESSOR_OBJECTIVE)) {
      return Kind.REGRESSOR;
    }
    if (objective.startsWith("multi:")) {
      throw new IllegalArgumentException(
          "XGBoost objective "
              + objective
              + " is multiclass, which is not exported: Tessera serves binary classifiers"
              + " ("
              + CLASSIFIER_OBJECTIVE
              + ") and single-value regressors ("
              + REGRESSOR_OBJECTIVE
              + ")");
    }
    throw new IllegalArgumentException(
        "XGBoost objective "
            + objective
            + " is not exported; supported are "
            + CLASSIFIER_OBJECTIVE
            + " and "
            + REGRESSOR_OBJECTIVE);
  }

  /** Reads {@code "5E-1"} or, from XGBoost 3.1, {@code "[5E-1]"}. */
  static float baseScore(JsonNode node) {
    String text = node.asText().trim();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1).trim();
      if (text.contains(",")) {
        throw new IllegalArgumentException(
            "The XGBoost model has one base_score per target ("
                + node.asText()
                + "); only single-target models are exported");
      }
    }
    try {
      float value = Float.parseFloat(text);
      if (Float.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "Cannot read base_score '" + node.asText() + "' of the XGBoost model as a finite float");
  }

  private static Tree tree(JsonNode tree, int t, int featureCount) {
    int nodes = intParam(required(tree, "/tree_param"), "num_nodes");
    JsonNode leafVector = tree.at("/tree_param/size_leaf_vector");
    if (!leafVector.isMissingNode() && Integer.parseInt(leafVector.asText()) > 1) {
      throw new IllegalArgumentException(
          "Tree "
              + t
              + " has vector leaves (size_leaf_vector "
              + leafVector.asText()
              + "); only scalar-leaf trees are exported");
    }
    int[] left = ints(tree, "left_children", nodes, t);
    int[] right = ints(tree, "right_children", nodes, t);
    int[] feature = ints(tree, "split_indices", nodes, t);
    int[] defaultLeft = ints(tree, "default_left", nodes, t);
    int[] splitType = tree.has("split_type") ? ints(tree, "split_type", nodes, t) : new int[nodes];
    JsonNode conditions = required(tree, "/split_conditions");
    checkLength(conditions, "split_conditions", nodes, t);
    float[] condition = new float[nodes];
    boolean[] missingLeft = new boolean[nodes];
    boolean categorical = !tree.path("categories_nodes").isEmpty();
    for (int i = 0; i < nodes; i++) {
      categorical |= splitType[i] != 0;
    }
    if (categorical) {
      throw new IllegalArgumentException(
          "Tree " + t + " has categorical splits; only numerical splits are exported");
    }
    for (int i = 0; i < nodes; i++) {
      condition[i] = exactFloat(conditions.get(i), t, i);
      missingLeft[i] = defaultLeft[i] != 0;
      if (left[i] != -1 && (feature[i] < 0 || feature[i] >= featureCount)) {
        throw new IllegalArgumentException(
            "Tree "
                + t
                + ", node "
                + i
                + " splits on feature "
                + feature[i]
                + " but the model has "
                + featureCount
                + " features");
      }
    }
    return new Tree(left, right, feature, condition, missingLeft);
  }

  // Float.parseFloat rounds the decimal once, straight to float32; XGBoost printed the shortest
  // decimal that round-trips its float32, so this gives back exactly XGBoost's value.
  private static float exactFloat(JsonNode value, int t, int i) {
    float parsed = value != null && value.isNumber() ? Float.parseFloat(value.asText()) : Float.NaN;
    if (!Float.isFinite(parsed)) {
      throw new IllegalArgumentException(
          "Tree " + t + ", node " + i + " has split condition or leaf value " + value);
    }
    return parsed;
  }

  private static int[] ints(JsonNode tree, String field, int nodes, int t) {
    JsonNode array = required(tree, "/" + field);
    checkLength(array, field, nodes, t);
    int[] values = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static void checkLength(JsonNode array, String field, int nodes, int t) {
    if (!array.isArray() || array.size() != nodes) {
      throw new IllegalArgumentException(
          "Tree "
              + t
              + " is malformed: "
              + field
              + " has "
              + (array.isArray() ? array.size() + " entries" : "no array")
              + ", expected num_nodes "
              + nodes);
    }
  }

  private static int intParam(JsonNode params, String name) {
    JsonNode value = params.path(name);
    try {
      // XGBoost writes its parameters as strings: "num_feature": "12".
      return Integer.parseInt(value.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read " + name + " of the XGBoost model: " + value, e);
    }
  }

  private static JsonNode required(JsonNode node, String pointer) {
    JsonNode value = node.at(pointer);
    if (value.isMissingNode() || value.isNull()) {
      throw new IllegalArgumentException("Not an XGBoost JSON model: " + pointer + " is missing");
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Building the ONNX model

  /** Nodes of one tree in preorder, and each XGBoost node id's position in that order. */
  private record Layout(int[] order, int[] position) {}

  private static Layout layout(Tree tree, int t) {
    int nodes = tree.left().length;
    int[] position = new int[nodes];
    Arrays.fill(position, -1);
    int[] order = new int[nodes];
    int count = 0;
    Deque<Integer> stack = new ArrayDeque<>();
    stack.push(0);
    while (!stack.isEmpty()) {
      int node = stack.pop();
      if (node < 0 || node >= nodes || position[node] != -1) {
        throw new IllegalArgumentException(
            "Tree " + t + " is malformed: node " + node + " is out of range or reached twice");
      }
      position[node] = count;
      order[count++] = node;
      boolean leaf = tree.left()[node] == -1;
      if (leaf != (tree.right()[node] == -1)) {
        throw new IllegalArgumentException(
            "Tree " + t + " is malformed: node " + node + " has exactly one child");
      }
      if (!leaf) {
        stack.push(tree.right()[node]);
        stack.push(tree.left()[node]); // popped first: left subtree before right, as preorder
      }
    }
    return new Layout(Arrays.copyOf(order, count), position);
  }

  private static byte[] build(Model model, List<String> featureNames, String description) {
    if (featureNames.size() != model.featureCount()) {
      throw new IllegalArgumentException(
          "The XGBoost model has "
              + model.featureCount()
              + " features, got "
              + featureNames.size()
              + " feature names "
              + featureNames);
    }
    OnnxProtos.checkFeatureNames(featureNames);
    if (!model.featureNames().isEmpty() && !model.featureNames().equals(featureNames)) {
      throw new IllegalArgumentException(
          "Feature names "
              + featureNames
              + " differ from those the XGBoost model was trained with "
              + model.featureNames());
    }
    List<Layout> layouts = new ArrayList<>();
    int total = 0;
    int leaves = 0;
    boolean anyNegativeLeaf = false;
    for (int t = 0; t < model.trees().size(); t++) {
      Tree tree = model.trees().get(t);
      Layout layout = layout(tree, t);
      layouts.add(layout);
      total += layout.order().length;
      for (int node : layout.order()) {
        if (tree.left()[node] == -1) {
          leaves++;
          anyNegativeLeaf |= tree.condition()[node] < 0;
        }
      }
    }
    boolean guard = model.kind() == Kind.CLASSIFIER && !anyNegativeLeaf;
    if (guard) {
      total++;
      leaves++;
    }

    Ensemble ensemble = new Ensemble(total, leaves);
    for (int t = 0; t < model.trees().size(); t++) {
      Tree tree = model.trees().get(t);
      Layout layout = layouts.get(t);
      for (int id = 0; id < layout.order().length; id++) {
        int node = layout.order()[id];
        if (tree.left()[node] == -1) {
          ensemble.leaf(t, id, tree.condition()[node]);
        } else {
          ensemble.branch(
              t,
              id,
              tree.feature()[node],
              tree.condition()[node],
              layout.position()[tree.left()[node]],
              layout.position()[tree.right()[node]],
              tree.defaultLeft()[node]);
        }
      }
    }
    if (guard) {
      ensemble.leaf(model.trees().size(), 0, GUARD_WEIGHT);
    }

    NodeProto node =
        model.kind() == Kind.CLASSIFIER
            ? ensemble.classifier(logit(model.baseScore()))
            : ensemble.regressor(model.baseScore());
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName(GRAPH_NAME)
            .addInput(
                OnnxProtos.tensor(
                    LogisticRegressionOnnx.INPUT_NAME,
                    TensorProto.DataType.FLOAT_VALUE,
                    "N",
                    model.featureCount()))
            .addNode(node);
    if (model.kind() == Kind.CLASSIFIER) {
      graph
          .addOutput(OnnxProtos.tensor(LABEL_OUTPUT, TensorProto.DataType.INT64_VALUE, "N"))
          .addOutput(
              OnnxProtos.tensor(PROBABILITIES_OUTPUT, TensorProto.DataType.FLOAT_VALUE, "N", 2));
    } else {
      graph.addOutput(
          OnnxProtos.tensor(REGRESSION_OUTPUT, TensorProto.DataType.FLOAT_VALUE, "N", 1));
    }
    String safeDescription = description == null ? "" : description;
    return ModelProto.newBuilder()
        .setIrVersion(LogisticRegressionOnnx.IR_VERSION)
        .addOpsetImport(
            OperatorSetIdProto.newBuilder()
                .setDomain("")
                .setVersion(LogisticRegressionOnnx.OPSET_VERSION))
        .addOpsetImport(
            OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET_VERSION))
        .setProducerName(LogisticRegressionOnnx.PRODUCER)
        .setDocString(safeDescription)
        .setGraph(graph)
        .addMetadataProps(
            OnnxProtos.entry(
                LogisticRegressionOnnx.FEATURE_NAMES_KEY, String.join(",", featureNames)))
        .addMetadataProps(OnnxProtos.entry(LogisticRegressionOnnx.DESCRIPTION_KEY, safeDescription))
        .build()
        .toByteArray();
  }

  /**
   * XGBoost's own {@code ProbToMargin} for the logistic link, in float arithmetic as XGBoost does
   * it: {@code -log(1 / p - 1)}.
   */
  static float logit(float baseScore) {
    if (!(baseScore > 0 && baseScore < 1)) {
      throw new IllegalArgumentException(
          "base_score of a binary:logistic model must be in (0, 1), got " + baseScore);
    }
    return (float) -Math.log(1.0f / baseScore - 1.0f);
  }

  /** The flat, index-aligned attribute arrays of a tree ensemble operator. */
  private static final class Ensemble {
    private final long[] treeIds;
    private final long[] nodeIds;
    private final long[] featureIds;
    private final float[] values;
    private final List<String> modes;
    private final long[] trueIds;
    private final long[] falseIds;
    private final long[] missingTracksTrue;
    private final long[] leafTreeIds;
    private final long[] leafNodeIds;
    private final float[] leafWeights;
    private int size;
    private int leafCount;

    Ensemble(int nodes, int leaves) {
      treeIds = new long[nodes];
      nodeIds = new long[nodes];
      featureIds = new long[nodes];
      values = new float[nodes];
      modes = new ArrayList<>(nodes);
      trueIds = new long[nodes];
      falseIds = new long[nodes];
      missingTracksTrue = new long[nodes];
      leafTreeIds = new long[leaves];
      leafNodeIds = new long[leaves];
      leafWeights = new float[leaves];
    }

    void branch(
        int tree,
        int id,
        int feature,
        float threshold,
        int leftId,
        int rightId,
        boolean missingGoesLeft) {
      treeIds[size] = tree;
      nodeIds[size] = id;
      featureIds[size] = feature;
      values[size] = threshold;
      modes.add("BRANCH_LT");
      trueIds[size] = leftId;
      falseIds[size] = rightId;
      missingTracksTrue[size] = missingGoesLeft ? 1 : 0;
      size++;
    }

    void leaf(int tree, int id, float weight) {
      treeIds[size] = tree;
      nodeIds[size] = id;
      modes.add("LEAF");
      size++;
      leafTreeIds[leafCount] = tree;
      leafNodeIds[leafCount] = id;
      leafWeights[leafCount] = weight;
      leafCount++;
    }

    private NodeProto.Builder nodes(String op, String name) {
      return NodeProto.newBuilder()
          .setOpType(op)
          .setDomain(ML_DOMAIN)
          .setName(name)
          .addInput(LogisticRegressionOnnx.INPUT_NAME)
          .addAttribute(OnnxProtos.ints("nodes_treeids", treeIds))
          .addAttribute(OnnxProtos.ints("nodes_nodeids", nodeIds))
          .addAttribute(OnnxProtos.ints("nodes_featureids", featureIds))
          .addAttribute(OnnxProtos.floats("nodes_values", values))
          .addAttribute(OnnxProtos.strings("nodes_modes", modes))
          .addAttribute(OnnxProtos.ints("nodes_truenodeids", trueIds))
          .addAttribute(OnnxProtos.ints("nodes_falsenodeids", falseIds))
          .addAttribute(OnnxProtos.ints("nodes_missing_value_tracks_true", missingTracksTrue));
    }

    NodeProto classifier(float baseMargin) {
      return nodes("TreeEnsembleClassifier", "xgboost_classifier")
          .addOutput(LABEL_OUTPUT)
          .addOutput(PROBABILITIES_OUTPUT)
          .addAttribute(OnnxProtos.ints("classlabels_int64s", new long[] {0, 1}))
          // Binary case: every vote goes to class index 0 and is the margin of class 1;
          // ONNX Runtime derives the class 0 column as 1 - p.
          .addAttribute(OnnxProtos.ints("class_ids", new long[leafCount]))
          .addAttribute(OnnxProtos.ints("class_treeids", leafTreeIds))
          .addAttribute(OnnxProtos.ints("class_nodeids", leafNodeIds))
          .addAttribute(OnnxProtos.floats("class_weights", leafWeights))
          .addAttribute(OnnxProtos.floats("base_values", new float[] {baseMargin}))
          .addAttribute(OnnxProtos.string("post_transform", "LOGISTIC"))
          .build();
    }

    NodeProto regressor(float base) {
      return nodes("TreeEnsembleRegressor", "xgboost_regressor")
          .addOutput(REGRESSION_OUTPUT)
          .addAttribute(OnnxProtos.integer("n_targets", 1))
          .addAttribute(OnnxProtos.ints("target_ids", new long[leafCount]))
          .addAttribute(OnnxProtos.ints("target_treeids", leafTreeIds))
          .addAttribute(OnnxProtos.ints("target_nodeids", leafNodeIds))
          .addAttribute(OnnxProtos.floats("target_weights", leafWeights))
          .addAttribute(OnnxProtos.floats("base_values", new float[] {base}))
          .addAttribute(OnnxProtos.string("aggregate_function", "SUM"))
          .addAttribute(OnnxProtos.string("post_transform", "NONE"))
          .build();
    }
  }
}
