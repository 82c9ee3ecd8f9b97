package io.autoreg.core.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A configuration value: {@code {"id","value"}} when read; {@code {"value"}} (id null, left out) as the
 * body of {@code PUT /configuration/{id}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigurationValue(String id, String value) {}
