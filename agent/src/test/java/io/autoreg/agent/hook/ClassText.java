package io.autoreg.agent.hook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A class file as lines of text, read by ASM, for comparing the patcher's output with ASM's: constants
 * appear as values (so constant-pool indexes and {@code ldc}/{@code ldc_w}, {@code goto}/{@code goto_w} do not
 * matter), labels are numbered in code order, {@code nop}s (the patcher's padding) and max_stack are left
 * out. Frames are read as stored (compressed), so their kinds and deltas are compared too.
 */
final class ClassText {

    private ClassText() {}

    static List<String> of(byte[] classfile) {
        List<String> lines = new ArrayList<>();
        new ClassReader(classfile).accept(new Recorder(lines), 0);
        return lines;
    }

    /** The methods' lines only, keyed "name descriptor". */
    static Map<String, List<String>> methods(List<String> lines) {
        Map<String, List<String>> methods = new java.util.LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("method ")) {
                current = new ArrayList<>();
                methods.put(line, current);
            } else if (current != null && line.startsWith("  ")) {
                current.add(line);
            } else {
                current = null;
            }
        }
        return methods;
    }

    private static final class Recorder extends ClassVisitor {
        private final List<String> lines;

        Recorder(List<String> lines) {
            super(Opcodes.ASM9);
            this.lines = lines;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifs) {
            lines.add("class " + version + " " + access + " " + name + " " + signature + " " + superName + " "
                    + Arrays.toString(ifs));
        }

        @Override
        public void visitSource(String source, String debug) {
            lines.add("source " + source + " " + debug);
        }

        @Override
        public void visitNestHost(String nestHost) {
            lines.add("nestHost " + nestHost);
        }

        @Override
        public void visitNestMember(String nestMember) {
            lines.add("nestMember " + nestMember);
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            lines.add("outer " + owner + " " + name + " " + descriptor);
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            lines.add("inner " + name + " " + outerName + " " + innerName + " " + access);
        }

        @Override
        public void visitAttribute(Attribute attribute) {
            lines.add("attribute " + attribute.type);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            lines.add("field " + access + " " + name + " " + descriptor + " " + signature + " " + value);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] ex) {
            lines.add("method " + name + descriptor);
            lines.add("  access " + access + " " + signature + " " + Arrays.toString(ex));
            return new MethodRecorder(lines);
        }
    }

    /** Records the events, and renders them at the end, once the labels' order is known. */
    private static final class MethodRecorder extends MethodVisitor {
        private final List<String> lines;
        private final List<Object[]> events = new ArrayList<>();
        private final Map<Label, Integer> labels = new IdentityHashMap<>();

        MethodRecorder(List<String> lines) {
            super(Opcodes.ASM9);
            this.lines = lines;
        }

        private void event(Object... parts) {
            events.add(parts);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode != Opcodes.NOP) {
                event("insn", opcode);
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            event("int", opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            event("var", opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            event("type", opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            event("field", opcode, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            event("invoke", opcode, owner, name, descriptor, itf);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
            event("indy", name, descriptor, bsm, Arrays.deepToString(args));
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            event("jump", opcode, label);
        }

        @Override
        public void visitLabel(Label label) {
            labels.put(label, labels.size());
            event("label", label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            event("ldc", value.getClass().getSimpleName(), value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            event("iinc", var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
            event("tableswitch", min, max, dflt, Arrays.asList(targets));
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
            event("lookupswitch", dflt, Arrays.toString(keys), Arrays.asList(targets));
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dims) {
            event("multianewarray", descriptor, dims);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            event("try", start, end, handler, type);
        }

        @Override
        public void visitLocalVariable(String name, String desc, String signature, Label start, Label end, int index) {
            event("local", name, desc, signature, start, end, index);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            event("line", line, start);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            event(
                    "frame",
                    type,
                    Arrays.asList(Arrays.copyOf(local == null ? new Object[0] : local, numLocal)),
                    Arrays.asList(Arrays.copyOf(stack == null ? new Object[0] : stack, numStack)));
        }

        @Override
        public void visitAttribute(Attribute attribute) {
            event("attribute", attribute.type);
        }

        @Override
        public void visitEnd() {
            for (Object[] parts : events) {
                StringBuilder line = new StringBuilder("  ");
                for (Object part : parts) {
                    line.append(render(part)).append(' ');
                }
                lines.add(
                        line.toString().trim().isEmpty()
                                ? ""
                                : "  " + line.toString().trim());
            }
        }

        private String render(Object part) {
            if (part instanceof Label) {
                Integer index = labels.get(part);
                return index == null ? "L?" : "L" + index;
            }
            if (part instanceof List<?>) {
                StringBuilder list = new StringBuilder("[");
                for (Object item : (List<?>) part) {
                    list.append(render(item)).append(',');
                }
                return list.append(']').toString();
            }
            return String.valueOf(part);
        }
    }
}
