package io.autoreg.sample;

/** Command-line options of the sample app: {@code --port N} (default 8080, 0 for any) and {@code --name N}. */
record SampleAppOptions(int port, String name) {

    static SampleAppOptions parse(String[] args) {
        int port = 8080;
        String name = "sample-app";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--port") && i + 1 < args.length) {
                port = parsePort(args[++i]);
            } else if (arg.startsWith("--port=")) {
                port = parsePort(arg.substring("--port=".length()));
            } else if (arg.equals("--name") && i + 1 < args.length) {
                name = args[++i];
            } else if (arg.startsWith("--name=")) {
                name = arg.substring("--name=".length());
            } else {
                throw usage("unknown argument '" + arg + "'");
            }
        }
        return new SampleAppOptions(port, name);
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage("--port must be an integer 0..65535, got '" + value + "'");
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "\nusage: sample-app [--port N] [--name NAME]");
    }
}
