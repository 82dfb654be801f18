package dev.tessera.features.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * The one place RocksDB is tuned. Every store of the node shares one LRU block cache, which also
 * holds index and filter blocks and is charged for memtables through a write buffer manager, so
 * memory stays bounded however many stores and partitions a node holds (the Kafka Streams "bounded
 * memory" recipe). Sized for a 2-core node with a small heap: 64 MiB cache, 32 MiB of it for
 * memtables, two 8 MiB memtables per store, bloom filters for point lookups, LZ4.
 *
 * <p>Sizes come from the streams properties {@link #BLOCK_CACHE_BYTES} and {@link
 * #WRITE_BUFFER_BYTES}, which {@code FeatureStoreConfig} sets from {@code
 * rocksdb.block.cache.bytes} and {@code rocksdb.write.buffer.bytes}.
 */
public class BoundedRocksDbConfig implements RocksDBConfigSetter {
  public static final String BLOCK_CACHE_BYTES = "tessera.rocksdb.block.cache.bytes";
  public static final String WRITE_BUFFER_BYTES = "tessera.rocksdb.write.buffer.bytes";

  private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;
  private static final long BLOCK_BYTES = 16 * 1024;

  // Shared by every store of the process and never closed: stores come and go with rebalances.
  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private static synchronized void init(long cacheBytes, long writeBufferBytes) {
    if (cache == null) {
      cache = new LRUCache(cacheBytes, -1, false, 0.1);
      writeBuffers = new WriteBufferManager(writeBufferBytes, cache);
    }
  }

  // Streams makes one setter per store and closes it with the store.
  private BloomFilter filter;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    init(
        longOf(configs.get(BLOCK_CACHE_BYTES), 64L * 1024 * 1024),
        longOf(configs.get(WRITE_BUFFER_BYTES), 32L * 1024 * 1024));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setBlockSize(BLOCK_BYTES);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    filter = new BloomFilter(10, false);
    table.setFilterPolicy(filter);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBuffers);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(2);
    options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    options.setMaxBackgroundJobs(2);
  }

  private static long longOf(Object value, long fallback) {
    return value == null ? fallback : Long.parseLong(value.toString());
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared and live as long as the process.
    if (filter != null) {
      filter.close();
    }
  }
}
