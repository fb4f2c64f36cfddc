package ai.sovereign.router.balance;

import ai.sovereign.router.fleet.BackendServer;

/** A server chosen for a request, whose slot is already taken; {@code probe} marks a half-open breaker's probe. */
public record Pick(BackendServer server, boolean probe) {}
