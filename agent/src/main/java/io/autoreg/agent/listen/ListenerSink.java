package io.autoreg.agent.listen;

/** Receives every listener of the process as it opens and closes, once per port, on the agent's thread. */
public interface ListenerSink {

    void opened(Listener listener);

    void closed(Listener listener);
}
