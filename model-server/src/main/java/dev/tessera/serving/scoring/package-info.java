/**
 * Scoring feature vectors with loaded models: {@link dev.tessera.serving.scoring.Scorer}, its ONNX
 * Runtime implementation {@link dev.tessera.serving.scoring.OnnxScorer}, and one output adapter per
 * supported output shape (probability tensors, ZipMap). Free of Kafka and HTTP.
 */
package dev.tessera.serving.scoring;
