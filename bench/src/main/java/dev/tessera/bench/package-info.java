/**
 * Benchmarks of the feature engine against a real broker, run by {@code scripts/bench.sh} (never by
 * the build): {@link dev.tessera.bench.Preload} fills the event topics, {@link
 * dev.tessera.bench.IngestionBench} times a fresh application catching up on them (the shipped
 * views against a one-count baseline) and, caught up, measures freshness and lookup latency, {@link
 * dev.tessera.bench.RedisBench} measures the Redis baseline, and {@link dev.tessera.bench.Report}
 * writes the medians into {@code docs/BENCHMARKS.md}.
 *
 * <pre>{@code
 * scripts/bench.sh            # everything, 3 runs each, about 10 minutes on 2 cores
 * scripts/bench.sh --runs 1 --no-write
 * }</pre>
 */
package dev.tessera.bench;
