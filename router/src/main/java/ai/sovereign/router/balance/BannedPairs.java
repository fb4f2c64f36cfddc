package ai.sovereign.router.balance;

/**
 * The (server, model) pairs that take no requests for now. Owned here so that choosing a server needs nothing of
 * recovery, which bans pairs after repeated failed recovery tests ({@code recovery.BanList}) and implements it.
 */
public interface BannedPairs {

    boolean isBanned(String serverId, String model);
}
