package dev.omnistock.faults;

import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.StackControl;
import dev.omnistock.testsupport.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite with the analytics job embedded: every fault but the task manager's ({@link FaultRun}).
 * Short (CI): each fault once. Long, on demand: {@code FAULTS_ROUNDS=3 ./mvnw -pl faults -am verify
 * -Dit.test='FaultSuite*' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false} (docs/reliability.md).
 */
@ExtendWith(RealStackExtension.class)
class FaultSuiteIT {

    @Test
    void theProductRidesOutEachFaultLosingAndDoublingNothing(RealStack stack, TestNamespace ns, StackControl control) throws Exception {
        FaultRun.run("fault-suite", stack, ns, control, false);
    }
}
