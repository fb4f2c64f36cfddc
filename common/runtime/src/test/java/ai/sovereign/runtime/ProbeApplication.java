package ai.sovereign.runtime;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** A minimal service built only from the runtime, the way real services are. */
public final class ProbeApplication {

    private ProbeApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("runtime-probe", ProbeApplication.class, args, Dependency.POSTGRES, Dependency.KAFKA);
    }
}
