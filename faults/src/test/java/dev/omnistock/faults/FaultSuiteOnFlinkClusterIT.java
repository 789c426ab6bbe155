package dev.omnistock.faults;

import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.StackControl;
import dev.omnistock.testsupport.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fault suite with the analytics job on a Flink session cluster, whose task manager it kills ({@link FaultRun}). */
@ExtendWith(RealStackExtension.class)
class FaultSuiteOnFlinkClusterIT {

    @Test
    void theAnalyticsJobRidesOutItsTaskManagerKilledUnderLoad(RealStack stack, TestNamespace ns, StackControl control) throws Exception {
        FaultRun.run("fault-suite-flink-cluster", stack, ns, control, true);
    }
}
