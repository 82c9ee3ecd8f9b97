package io.autoreg.sidecar.run;

/**
 * One probe of a neighbour. Implementations bound every probe by the check's timeout, never throw, and
 * are called from one check thread at a time.
 */
interface HealthCheck {

    Result probe();

    /** The outcome of one probe; {@code detail} says why, for logs and {@code /healthz}. */
    record Result(boolean passed, String detail) {
        static Result pass(String detail) {
            return new Result(true, detail);
        }

        static Result fail(String detail) {
            return new Result(false, detail);
        }
    }

    static HealthCheck of(CheckSettings check) {
        switch (check.type()) {
            case HTTP:
            case HTTPS:
                return new HttpHealthCheck(check);
            case TCP:
                return new TcpHealthCheck(check);
            case GRPC:
            case GRPCS:
                return new GrpcHealthCheck(check);
            default:
                return new ExecHealthCheck(check);
        }
    }
}
