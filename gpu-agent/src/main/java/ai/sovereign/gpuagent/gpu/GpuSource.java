package ai.sovereign.gpuagent.gpu;

/**
 * Where the agent reads its GPUs from: {@code nvidia-smi} on a real host, or a simulation that follows the load on
 * an llm-simulator. Implementations never throw: a missing or failing source is a {@link GpuReading} saying so.
 */
public interface GpuSource {

    /** Short name shown in {@code /health} and logs, e.g. {@code nvidia-smi}. */
    String name();

    /** Reads every GPU now. Blocking; returns within the source's own timeout. */
    GpuReading read();
}
