/**
 * Benchmarks of the feature engine against a real broker, run by {@code scripts/bench.sh} (never by
 * the build): {@link dev.tessera.bench.Preload} fills the event topics, {@link
 * dev.tessera.bench.IngestionBench} times a fresh application catching up on them (the shipped
 * views against a one-count baseline) and, caught up, measures freshness and lookup latency, {@link
 * dev.tessera.bench.RedisBench} measures the Redis baseline, {@link dev.tessera.bench.PredictBench}
 * predict over HTTP against a no-op handler, {@link dev.tessera.bench.ScoringBench} ONNX Runtime
 * against XGBoost4J on the same model, {@link dev.tessera.bench.RestoreBench} the restore of the
 * shipped views' state from their changelogs, and {@link dev.tessera.bench.Report} writes the
 * medians into {@code docs/BENCHMARKS.md}.
 *
 * <pre>{@code
 * scripts/bench.sh            # everything, 3 runs each, about 25 minutes on 2 cores
 * scripts/bench.sh --runs 1 --no-write
 * scripts/bench.sh --only scoring
 * }</pre>
 */
package dev.tessera.bench;
