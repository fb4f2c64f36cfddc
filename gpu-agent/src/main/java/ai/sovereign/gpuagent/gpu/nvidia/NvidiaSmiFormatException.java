package ai.sovereign.gpuagent.gpu.nvidia;

/** nvidia-smi printed something that is not the CSV the agent asked for; the message names the line and field. */
public final class NvidiaSmiFormatException extends RuntimeException {

    public NvidiaSmiFormatException(String message) {
        super(message);
    }
}
