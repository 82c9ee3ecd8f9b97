package io.autoreg.agent.hook;

/** Which methods of a class are hooked; {@link HookPoints#MATCHER} in the agent, any method in the patcher's tests. */
interface HookMatcher {

    /** The hook point of a non-static, non-abstract, non-native method, or null. */
    HookPoint find(String internalClassName, String method, String descriptor);

    /**
     * The names of the methods of this class that {@link #find} can return a point for, or null for any name. The
     * patcher compares each method's name bytes with these first, and decodes the name and descriptor of only those
     * few methods: a hooked JDK class has some 80 methods and two hooked ones.
     */
    default String[] methodNames(String internalClassName) {
        return null;
    }
}
