package ai.sovereign.router;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the router: the GPU fleet as one pool: server registry, model discovery, queue, balancing, circuit breakers, retries, versioned routing config. */
public final class RouterApplication {

    private RouterApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("router", RouterApplication.class, args, Dependency.POSTGRES);
    }
}
