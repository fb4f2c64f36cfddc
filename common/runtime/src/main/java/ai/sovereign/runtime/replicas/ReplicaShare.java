package ai.sovereign.runtime.replicas;

/**
 * Where this replica stands among the live replicas of its service: how many there are and its rank among them (by
 * id). {@link #portion} divides a limit so that the portions of all live replicas add up to it.
 */
public record ReplicaShare(int live, int rank) {

    public static final ReplicaShare ALONE = new ReplicaShare(1, 0);

    public ReplicaShare {
        live = Math.max(1, live);
        rank = Math.max(0, Math.min(rank, live - 1));
    }

    /**
     * This replica's portion of {@code total}: {@code total / live}, the first {@code total % live} replicas one more,
     * and at least 1 (so a limit smaller than the number of replicas is exceeded by at most {@code live - total}).
     */
    public int portion(int total) {
        if (live <= 1) {
            return total;
        }
        return Math.max(1, total / live + (rank < total % live ? 1 : 0));
    }

    /** Like {@link #portion(int)} for a long total, without the minimum of 1. */
    public long portion(long total) {
        if (live <= 1) {
            return total;
        }
        return total / live + (rank < total % live ? 1 : 0);
    }
}
