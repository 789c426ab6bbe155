package dev.omnistock.analytics.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** A bounded source emitting a fixed list in order (at parallelism 1). */
final class BoundedSource {

    private BoundedSource() {
    }

    static <T> DataGeneratorSource<T> of(List<T> elements, TypeInformation<T> type) {
        ArrayList<T> copy = new ArrayList<>(elements);
        return new DataGeneratorSource<>(index -> copy.get(index.intValue()), copy.size(), type);
    }
}
