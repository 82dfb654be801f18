/**
 * Producing models, pure JVM: an in-memory {@link dev.tessera.serving.training.TrainingSet}, a
 * seeded {@link dev.tessera.serving.training.StratifiedSplit}, XGBoost training ({@link
 * dev.tessera.serving.training.XgboostTrainer}, {@link dev.tessera.serving.training.XgboostParams})
 * scored by {@link dev.tessera.serving.training.ClassifierMetrics}, ONNX export checked against
 * XGBoost ({@link dev.tessera.serving.training.XgboostOnnxExporter}), run records ({@link
 * dev.tessera.serving.training.TrainingRun}), and the bootstrap logistic regression ({@link
 * dev.tessera.serving.training.LogisticRegressionTrainer}, {@link
 * dev.tessera.serving.training.LogisticRegressionOnnx}). See docs/TRAINING.md.
 */
package dev.tessera.serving.training;
