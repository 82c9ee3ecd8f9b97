package io.autoreg.core.client.model;

/** The body of every 4xx/5xx: {@code {"type","code","message","details","txnId"}}. */
public record Fault(String type, int code, String message, String details, String txnId) {}
