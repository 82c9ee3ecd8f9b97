package io.autoreg.registry.badinput;

import io.autoreg.registry.conformance.Answer;
import io.autoreg.registry.conformance.RegistryHttp;

/** A request the server must refuse with a 4xx and a fault body. */
interface BadRequest {
    String name();

    Answer send(RegistryHttp http);
}
