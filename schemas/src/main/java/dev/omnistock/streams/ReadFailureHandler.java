package dev.omnistock.streams;

import dev.omnistock.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a record that could not be read becomes. A record bad in itself goes to the dead-letter
 * topic with the reason in its headers (Kafka Streams' own dead-letter handling) and the service goes on.
 * A failure that is not the record's (the schema registry down or unreachable) fails the stream thread
 * instead, so that the record is read again after the thread is replaced: dead-lettering it would lose
 * a good record.
 */
public final class ReadFailureHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReadFailureHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (SchemaRegistryUnavailableException.isTransient(exception)) {
            log.warn("Could not read {} partition {} offset {} for a reason that is not the record's: {}. "
                    + "The stream thread restarts and reads it again.", record.topic(), record.partition(), record.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        return super.handleError(context, record, exception);
    }
}
