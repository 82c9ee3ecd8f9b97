package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code {"token":"…"}}: the answer to creating a service or session and to a heartbeat, and the
 * body of a heartbeat. A service created inside a session answers {@code {}} (token null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Token(String token) {}
