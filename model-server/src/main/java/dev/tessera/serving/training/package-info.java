/**
 * Producing models: ONNX export ({@link dev.tessera.serving.training.LogisticRegressionOnnx}) and a
 * small logistic-regression trainer for the bootstrap model.
 */
package dev.tessera.serving.training;
