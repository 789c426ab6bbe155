package dev.omnistock.analytics.kafka;

import dev.omnistock.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes a dead letter with its original key and value bytes, and the reason in the shared headers. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.EXCEPTION, utf8(letter.exception()));
        headers.add(DeadLetterHeaders.MESSAGE, utf8(letter.message()));
        headers.add(DeadLetterHeaders.TOPIC, utf8(letter.topic()));
        headers.add(DeadLetterHeaders.PARTITION, utf8(Integer.toString(letter.partition())));
        headers.add(DeadLetterHeaders.OFFSET, utf8(Long.toString(letter.offset())));
        return new ProducerRecord<>(topic, null, null, letter.key(), letter.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
