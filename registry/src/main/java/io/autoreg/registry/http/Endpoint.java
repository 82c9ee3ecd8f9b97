package io.autoreg.registry.http;

/** A resolved request target: the route, its call, a metrics label and whether it is tenant-scoped. */
record Endpoint(Route route, Call call, String label, boolean tenantScoped) {}
