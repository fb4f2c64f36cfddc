package ai.sovereign.runtime;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;

/** Endpoints the runtime tests call to see how errors are rendered. */
@Controller("/probe")
class ProbeController {

    @Serdeable
    record Greeting(String name, int times) {}

    @io.micronaut.http.annotation.Get("/secure/whoami")
    String whoami(io.micronaut.http.HttpRequest<?> request) {
        var caller = ai.sovereign.runtime.security.ServiceTokenFilter.caller(request)
                .require(ai.sovereign.runtime.security.Role.AUDITOR, ai.sovereign.runtime.security.Role.ADMIN);
        return caller.subject() + "@" + caller.tenant();
    }

    @Post("/echo")
    Greeting echo(@Body Greeting greeting) {
        if (greeting.times() < 1) {
            throw ApiException.badRequest("times must be >= 1 (got " + greeting.times() + ")", "times");
        }
        return greeting;
    }
}
