package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnistock.inventory.api.FreshCopies.Input;
import dev.omnistock.inventory.api.FreshCopies.Task;
import dev.omnistock.inventory.api.FreshCopies.ThreadTasks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreshCopiesTest {

    private static final String LEDGER = "sku-ledger";
    private static final String ORDERS = "order-reservations";
    private final FreshCopies copies = new FreshCopies(Map.of(ORDERS, 0, LEDGER, 1));

    /** A thread's view at a RUNNING: the active tasks of the ledger's subtopology (1) on these partitions, reading stock-movements. */
    private static ThreadTasks running(String thread, int... ledgerPartitions) {
        Map<Task, Set<Input>> active = new HashMap<>();
        for (int partition : ledgerPartitions) {
            active.put(new Task(1, partition), Set.of(new Input("stock-movements", partition), new Input("order-lines", partition)));
        }
        return new ThreadTasks(thread, new Object(), active);
    }

    @Test
    void theCopyOfAnActiveTaskRunningHereIsFreshAnyOtherCopyIsNot() {
        List<ThreadTasks> threads = List.of(running("t1", 0, 3));

        assertThat(copies.fresh(LEDGER, 0, threads)).isTrue();
        assertThat(copies.fresh(LEDGER, 3, threads)).isTrue();
        // No active task of the ledger here for partition 1 (a standby's copy, or none), nor of the orders' subtopology.
        assertThat(copies.fresh(LEDGER, 1, threads)).isFalse();
        assertThat(copies.fresh(ORDERS, 0, threads)).isFalse();
        assertThat(copies.fresh("unknown-store", 0, threads)).isFalse();
    }

    @Test
    void aRevokedPartitionsTaskStopsBeingFreshAtOnceTheThreadsOtherTasksStay() {
        ThreadTasks t1 = running("t1", 0, 3);

        copies.revoked(t1, List.of(new Input("order-lines", 3)));

        // Still in the view Kafka Streams shows until the thread is RUNNING again, but on its way to suspension or a standby.
        assertThat(copies.fresh(LEDGER, 3, List.of(t1))).isFalse();
        assertThat(copies.fresh(LEDGER, 0, List.of(t1))).isTrue();
    }

    @Test
    void aTaskRevokedAndGivenBackIsNotFreshUntilTheThreadRunsItAgain() {
        ThreadTasks before = running("t1", 0, 3);
        copies.revoked(before, List.of(new Input("stock-movements", 3)));
        // Given back in a later round: it restores what another instance wrote meanwhile, and the view has not changed.
        copies.restoreStarted(LEDGER, 3);
        copies.restoreEnded(LEDGER, 3);
        assertThat(copies.fresh(LEDGER, 3, List.of(before))).isFalse();

        ThreadTasks again = running("t1", 0, 3);
        assertThat(copies.fresh(LEDGER, 3, List.of(again))).isTrue();
    }

    @Test
    void aLostThreadHasNoFreshCopyTheOtherThreadsKeepTheirs() {
        ThreadTasks t1 = running("t1", 0);
        ThreadTasks t2 = running("t2", 1);

        copies.lost(t1);

        assertThat(copies.fresh(LEDGER, 0, List.of(t1, t2))).isFalse();
        assertThat(copies.fresh(LEDGER, 1, List.of(t1, t2))).isTrue();
    }

    @Test
    void anActiveCopyRestoringIsNotFreshUntilItsRestoreEnds() {
        ThreadTasks t1 = running("t1", 2);

        // A task revived after its state was found corrupt restores without a rebalance, its thread still RUNNING.
        copies.restoreStarted(LEDGER, 2);
        assertThat(copies.fresh(LEDGER, 2, List.of(t1))).isFalse();
        assertThat(copies.fresh(ORDERS, 2, List.of(running("t2", 2)))).isFalse();

        copies.restoreEnded(LEDGER, 2);
        assertThat(copies.fresh(LEDGER, 2, List.of(t1))).isTrue();
    }

    @Test
    void aTaskMovedToAnotherThreadIsFreshThereOnceThatThreadRunsIt() {
        ThreadTasks t1 = running("t1", 0, 4);
        copies.revoked(t1, List.of(new Input("stock-movements", 4)));
        ThreadTasks t2 = running("t2", 4);

        assertThat(copies.fresh(LEDGER, 4, List.of(t1, t2))).isTrue();
        assertThat(copies.fresh(LEDGER, 4, List.of(t1))).isFalse();
    }

    @Test
    void everyWithdrawalAndRestoreMovesTheCountAReadIsCheckedAgainst() {
        ThreadTasks t1 = running("t1", 0);
        long start = copies.changes();

        copies.revoked(t1, List.of(new Input("stock-movements", 5)));
        long afterRevoke = copies.changes();
        copies.restoreStarted(LEDGER, 5);
        long afterRestore = copies.changes();
        copies.lost(t1);

        assertThat(List.of(start, afterRevoke, afterRestore, copies.changes())).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aRestoreStoppedBeforeItsEndLeavesTheTaskNotFreshUntilItsThreadRunsAgain() {
        ThreadTasks t1 = running("t1", 0, 3);
        // The task's state was found corrupt while its thread ran: reopened, restoring, then closed again mid-restore.
        copies.restoreStarted(LEDGER, 3);
        assertThat(copies.restoring(LEDGER, 3)).isTrue();
        assertThat(copies.fresh(LEDGER, 3, List.of(t1))).isFalse();

        copies.restoreSuspended(LEDGER, 3, List.of(t1));

        assertThat(copies.restoring(LEDGER, 3)).isFalse();
        assertThat(copies.fresh(LEDGER, 3, List.of(t1))).as("partly restored, still in the thread's view").isFalse();
        assertThat(copies.fresh(LEDGER, 0, List.of(t1))).isTrue();
        assertThat(copies.fresh(LEDGER, 3, List.of(running("t1", 0, 3)))).as("the thread RUNNING again").isTrue();
    }

    @Test
    void aPartitionIsRestoringFromItsStartToItsEnd() {
        assertThat(copies.restoring(LEDGER, 2)).isFalse();
        long before = copies.changes();

        copies.restoreStarted(LEDGER, 2);

        assertThat(copies.restoring(LEDGER, 2)).isTrue();
        assertThat(copies.restoring(ORDERS, 2)).isFalse();
        assertThat(copies.changes()).isGreaterThan(before);
        copies.restoreEnded(LEDGER, 2);
        assertThat(copies.restoring(LEDGER, 2)).isFalse();
    }
}
