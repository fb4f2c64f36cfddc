package ai.sovereign.gateway;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the gateway: the front door: OpenAI- and Ollama-compatible APIs, API keys, roles, quotas, request metering, admin entry point. */
public final class GatewayApplication {

    private GatewayApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("gateway", GatewayApplication.class, args, Dependency.POSTGRES);
    }
}
