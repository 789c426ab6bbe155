package dev.omnistock.inventory.model;

import dev.omnistock.generator.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a model-based property over random sequences of intents, each made from a seed of its own. When
 * one fails, the sequence is shrunk while it still fails the same way (chunks of intents dropped, then
 * single ones, then each intent's numbers lowered, then the order settings switched off) and the test
 * fails with the seed, the shrunk intents and the steps they made.
 * <p>
 * {@code -Dmodel.tries=N} runs N sequences in RulesModelTest and a tenth of them in TopologyModelTest;
 * {@code -Dmodel.seed=S} replays the one sequence of seed S.
 */
public final class SeededRuns {

    private static final Logger log = LoggerFactory.getLogger(SeededRuns.class);
    public static final String TRIES = "model.tries";
    public static final String SEED = "model.seed";
    private static final int DEFAULT_TRIES = 2000;
    /** Enough to shrink any sequence the generator makes; a bound so that a slow property still ends. */
    private static final int SHRINK_RUNS = 1500;

    private SeededRuns() {
    }

    /** One random case: the service's two order settings and the intents its events are made from. */
    public record Run(long seed, boolean splitLines, boolean partialOrders, List<Scenario.Intent> intents) {

        /**
         * Between 10 and 120 intents, most sequences short (the mean is under 40): short ones are cheap
         * and many, long ones reach the states that take many events.
         */
        public static Run of(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            boolean splitLines = random.nextBoolean();
            boolean partialOrders = random.nextBoolean();
            double u = random.nextDouble();
            int size = 10 + (int) (111 * u * u * u);
            List<Scenario.Intent> intents = new ArrayList<>(size);
            for (int n = 0; n < size; n++) {
                intents.add(Scenario.intent(random));
            }
            return new Run(seed, splitLines, partialOrders, List.copyOf(intents));
        }

        Run with(List<Scenario.Intent> other) {
            return new Run(seed, splitLines, partialOrders, List.copyOf(other));
        }

        @Override
        public String toString() {
            return "splitLines=" + splitLines + " partialOrders=" + partialOrders + ", " + intents.size() + " intents:\n  "
                    + String.join("\n  ", intents.stream().map(Object::toString).toList());
        }
    }

    /** A property of one run; it adds each step it takes to {@code steps}, which a failure report prints. */
    @FunctionalInterface
    public interface Property {
        void check(Run run, List<Step> steps) throws Exception;
    }

    /** The sequences a test runs: the one of -Dmodel.seed, or -Dmodel.tries (2000 unless given) divided by {@code share}. */
    public static List<Long> seeds(int share) {
        String replay = System.getProperty(SEED);
        if (replay != null && !replay.isBlank()) {
            return List.of(Long.parseLong(replay.trim()));
        }
        int tries = Math.max(1, Integer.getInteger(TRIES, DEFAULT_TRIES) / share);
        List<Long> seeds = new ArrayList<>(tries);
        for (int n = 0; n < tries; n++) {
            seeds.add(ThreadLocalRandom.current().nextLong());
        }
        return seeds;
    }

    /**
     * Runs the property over every seed; fails on the first that breaks it, with that sequence shrunk.
     *
     * @param share 1 for the full number of runs, 10 for a tenth: a property that costs ten times as much
     *              per run (it also shrinks with a tenth of the runs)
     */
    public static void check(String name, int share, Property property) {
        List<Long> seeds = seeds(share);
        long started = System.nanoTime();
        for (int done = 0; done < seeds.size(); done++) {
            // Long runs (-Dmodel.tries) say how far they are, ten times.
            if (seeds.size() >= 10_000 && done > 0 && done % (seeds.size() / 10) == 0) {
                log.info("{}: {} of {} sequences, {} s", name, done, seeds.size(), (System.nanoTime() - started) / 1_000_000_000L);
            }
            long seed = seeds.get(done);
            Run run = Run.of(seed);
            Attempt attempt = attempt(property, run);
            if (attempt.failure() != null) {
                throw shrunk(name, run, attempt, property, SHRINK_RUNS / share);
            }
        }
    }

    private record Attempt(Run run, List<Step> steps, Throwable failure) {
    }

    private static Attempt attempt(Property property, Run run) {
        List<Step> steps = new ArrayList<>();
        try {
            property.check(run, steps);
            return new Attempt(run, steps, null);
        } catch (Exception | AssertionError e) {
            return new Attempt(run, steps, e);
        }
    }

    /** Shrinks as long as some smaller run fails with the same kind of error; reports the smallest found. */
    private static AssertionError shrunk(String name, Run original, Attempt failed, Property property, int maxRuns) {
        Shrinking shrinking = new Shrinking(property, failed, maxRuns);
        boolean progress = true;
        while (progress && shrinking.runs < maxRuns) {
            progress = shrinking.dropChunks() | shrinking.lowerNumbers() | shrinking.settingsOff();
        }
        Attempt best = shrinking.best;
        String message = name + " failed for seed " + original.seed() + " (replay it with -D" + SEED + "=" + original.seed()
                + "); shrunk from " + original.intents().size() + " to " + best.run().intents().size() + " intents in "
                + shrinking.runs + " runs.\nShrunk sequence: " + best.run() + "\nSteps it made:\n  "
                + String.join("\n  ", best.steps().stream().map(Object::toString).toList())
                + "\nFailure: " + best.failure();
        return new AssertionError(message, best.failure());
    }

    private static final class Shrinking {
        private final Property property;
        private final int maxRuns;
        private Attempt best;
        private int runs;

        Shrinking(Property property, Attempt failed, int maxRuns) {
            this.property = property;
            this.maxRuns = maxRuns;
            this.best = failed;
        }

        /** Keeps the candidate when it still fails with the same kind of error. */
        private boolean tryRun(Run candidate) {
            if (runs >= maxRuns) {
                return false;
            }
            runs++;
            Attempt attempt = attempt(property, candidate);
            if (attempt.failure() != null && attempt.failure().getClass() == best.failure().getClass()) {
                best = attempt;
                return true;
            }
            return false;
        }

        /** Halves first, down to single intents. */
        boolean dropChunks() {
            boolean progress = false;
            for (int size = best.run().intents().size() / 2; size >= 1; size /= 2) {
                int from = 0;
                while (from + size <= best.run().intents().size()) {
                    List<Scenario.Intent> fewer = new ArrayList<>(best.run().intents());
                    fewer.subList(from, from + size).clear();
                    if (tryRun(best.run().with(fewer))) {
                        progress = true;
                    } else {
                        from += size;
                    }
                }
            }
            return progress;
        }

        /** Each of an intent's numbers towards 0 (smaller quantities, the first SKU, location and order); its kind stays. */
        boolean lowerNumbers() {
            boolean progress = false;
            for (int index = 0; index < best.run().intents().size(); index++) {
                for (int field = 0; field < 4; field++) {
                    progress |= lower(index, field);
                }
            }
            return progress;
        }

        private boolean lower(int index, int field) {
            boolean progress = false;
            int value = best.run().intents().get(index).number(field);
            for (int lower : new int[] {0, value / 2, value - 1}) {
                if (lower >= 0 && lower < value && tryRun(replaced(index, i -> i.withNumber(field, lower)))) {
                    progress = true;
                    value = lower;
                }
            }
            return progress;
        }

        private Run replaced(int index, UnaryOperator<Scenario.Intent> change) {
            List<Scenario.Intent> changed = new ArrayList<>(best.run().intents());
            changed.set(index, change.apply(changed.get(index)));
            return best.run().with(changed);
        }

        boolean settingsOff() {
            Run run = best.run();
            boolean progress = run.splitLines() && tryRun(new Run(run.seed(), false, run.partialOrders(), run.intents()));
            run = best.run();
            return progress | (run.partialOrders() && tryRun(new Run(run.seed(), run.splitLines(), false, run.intents())));
        }
    }
}
