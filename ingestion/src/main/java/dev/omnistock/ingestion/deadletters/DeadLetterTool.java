package dev.omnistock.ingestion.deadletters;

import dev.omnistock.config.Config;
import dev.omnistock.config.KafkaConnection;
import dev.omnistock.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lists and replays dead letters:
 * <pre>
 *   list [MAX]                          where each came from and why (default MAX 100)
 *   replay PARTITION:OFFSET [...]       send those records back to their source topics, unchanged
 * </pre>
 * Connection settings come from the environment, as for the services.
 */
public final class DeadLetterTool {

    private DeadLetterTool() {
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        String topic = Topics.from(config).deadLetters().name();
        DeadLetters deadLetters = new DeadLetters(KafkaConnection.from(config), topic);
        if (args.length >= 1 && args[0].equals("list")) {
            int max = args.length > 1 ? Integer.parseInt(args[1]) : 100;
            var letters = deadLetters.list(max);
            for (DeadLetters.DeadLetter letter : letters) {
                System.out.printf("%d:%d  from %s[%s]@%s  key=%s%n    %s (%s)%n", letter.partition(), letter.offset(),
                        letter.sourceTopic().orElse("?"), letter.sourcePartition(), letter.sourceOffset(),
                        letter.key() == null ? "null" : new String(letter.key(), StandardCharsets.UTF_8),
                        letter.reason(), letter.kind());
            }
            System.out.printf("%d dead letter(s) on %s%n", letters.size(), topic);
        } else if (args.length >= 2 && args[0].equals("replay")) {
            int replayed = deadLetters.replay(Arrays.asList(args).subList(1, args.length));
            System.out.printf("replayed %d record(s) to their source topics%n", replayed);
        } else {
            System.err.println("usage: list [MAX] | replay PARTITION:OFFSET [PARTITION:OFFSET ...]");
            System.exit(2);
        }
    }
}
