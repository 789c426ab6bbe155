package dev.omnistock.inventory.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings of all the service's stores. Many point look-ups miss (a new order's id in the
 * order store, a new line in the reservations), and a miss used to walk the memtable's skip list; a
 * bloom filter over the memtable's whole keys answers most of them at once.
 */
public final class StoreTuning implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtablePrefixBloomSizeRatio(0.1);
        options.setMemtableWholeKeyFiltering(true);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
