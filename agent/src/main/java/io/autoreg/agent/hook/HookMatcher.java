package io.autoreg.agent.hook;

/** Which methods of a class are hooked; {@link HookPoints#MATCHER} in the agent, any method in the patcher's tests. */
interface HookMatcher {

    /** The hook point of a non-static, non-abstract, non-native method, or null. */
    HookPoint find(String internalClassName, String method, String descriptor);
}
