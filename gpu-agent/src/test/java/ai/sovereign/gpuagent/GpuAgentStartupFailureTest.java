package ai.sovereign.gpuagent;

import ai.sovereign.testkit.contract.StartupFailureContract;
import java.util.Map;

/** Started as an operator would, the gpu-agent refuses to run without Kafka and says where it looked. */
class GpuAgentStartupFailureTest extends StartupFailureContract {

    @Override
    protected Class<?> mainClass() {
        return GpuAgentApplication.class;
    }

    @Override
    protected String dependencyName() {
        return "Kafka";
    }

    @Override
    protected Map<String, String> environmentWithDependencyAt(int port) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port);
    }
}
