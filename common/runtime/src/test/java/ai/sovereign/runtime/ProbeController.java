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
    record Greeting(String name, int times) {
    }

    @Post("/echo")
    Greeting echo(@Body Greeting greeting) {
        if (greeting.times() < 1) {
            throw ApiException.badRequest("times must be >= 1 (got " + greeting.times() + ")", "times");
        }
        return greeting;
    }
}
