package dev.omnistock.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test the real stack: {@link RealStack} (endpoints) and {@link TestNamespace} (its own topics
 * and database) as test or lifecycle method parameters. The stack starts once per test JVM, on first
 * use, and stops when the JVM's tests are done; use it with {@code @ExtendWith(RealStackExtension.class)}.
 */
public final class RealStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RealStack.class || type == TestNamespace.class || type == StackControl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == StackControl.class) {
            stack(context);
            return process(context).control();
        }
        RealStack stack = stack(context);
        if (parameter.getParameter().getType() == RealStack.class) {
            return stack;
        }
        Class<?> testClass = context.getRequiredTestClass();
        // Keyed by class in the root store: one namespace for all of a class's methods.
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                testClass.getName() + "#namespace", k -> new TestNamespace(stack, testClass), TestNamespace.class);
    }

    private static RealStack stack(ExtensionContext context) {
        return process(context).stack();
    }

    private static StackProcess process(ExtensionContext context) {
        // The root store lives as long as the test JVM's run; closing it stops the stack.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(StackProcess.class, k -> StackProcess.start(), StackProcess.class);
    }
}
