/**
 * The wire model of the Service Registry API (docs/api.md), as Jackson records.
 * Shared by the Java client and, where it wants, the registry server: field names follow the wire
 * (snake_case via {@code @JsonProperty}); requests leave out null fields, responses keep the nulls the
 * spec shows ({@code last_seen}, {@code next_marker}, {@code next_href}). The records do not ignore
 * unknown fields themselves: the server rejects them (400), the client's mapper tolerates them.
 */
package io.autoreg.core.client.model;
