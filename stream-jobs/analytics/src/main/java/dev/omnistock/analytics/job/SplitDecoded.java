package dev.omnistock.analytics.job;

import dev.omnistock.analytics.kafka.Decoded;
import dev.omnistock.analytics.kafka.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes on what a source read; its dead letters go to the side output {@link #DEAD_LETTERS}. */
final class SplitDecoded<T> extends ProcessFunction<Decoded<T>, T> {

    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    @Override
    public void processElement(Decoded<T> decoded, Context context, Collector<T> out) {
        if (decoded.deadLetter() != null) {
            context.output(DEAD_LETTERS, decoded.deadLetter());
        } else if (decoded.value() != null) {
            out.collect(decoded.value());
        }
    }
}
