package dev.omnistock.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.omnistock.testsupport.FreePorts;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class InstanceRoutingTest {

    @Test
    void anUnreachableInstanceIsAProblemWithAnErrorIdNotItsAddress() {
        int closed = FreePorts.one();
        InstanceRouting routing = new InstanceRouting(null, new HostInfo("127.0.0.1", FreePorts.one()));

        ProblemException problem = catchThrowableOfType(() -> routing.send(new HostInfo("127.0.0.1", closed),
                "/v1/availability/batch?scope=local", "{}".getBytes(), null), ProblemException.class);

        assertThat(problem.status).isEqualTo(502);
        assertThat(problem.getMessage()).contains("error id").doesNotContain(Integer.toString(closed)).doesNotContain("127.0.0.1")
                .doesNotContainIgnoringCase("connect");
    }
}
