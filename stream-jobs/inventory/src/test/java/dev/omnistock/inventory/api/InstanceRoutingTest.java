package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.omnistock.testsupport.FreePorts;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class InstanceRoutingTest {

    @Test
    void anUnreachableInstanceIsAProblemToRetryWithAnErrorIdNotItsAddress() {
        int closed = FreePorts.one();
        InstanceRouting routing = new InstanceRouting(null, null, new HostInfo("127.0.0.1", FreePorts.one()));

        ProblemException problem = catchThrowableOfType(() -> routing.send(new HostInfo("127.0.0.1", closed),
                "/v1/availability/batch?scope=local", "{}".getBytes(), null), ProblemException.class);

        // Its tasks move to the others: a 503 to retry after a moment, not a gateway error.
        assertThat(problem.status).isEqualTo(503);
        assertThat(problem.retryAfterSeconds).isPositive();
        assertThat(problem.getMessage()).contains("error id").doesNotContain(Integer.toString(closed)).doesNotContain("127.0.0.1")
                .doesNotContainIgnoringCase("connect");
    }
}
