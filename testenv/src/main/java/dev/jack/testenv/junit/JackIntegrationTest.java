package dev.jack.testenv.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that runs against the real test environment. Its test methods and
 * lifecycle methods may declare parameters of these types:
 *
 * <ul>
 *   <li>{@link dev.jack.testenv.KubeApiServer}: the API server shared by the whole test run;
 *   <li>{@link io.fabric8.kubernetes.client.KubernetesClient}: an admin client for this class;
 *   <li>{@link TestNamespace}: a namespace of its own for this one test;
 *   <li>{@link dev.jack.testenv.MotoServer}: the AWS emulator shared by the run, emptied before
 *       each test class that uses it.
 * </ul>
 *
 * Each server starts the first time a test asks for it and stops when the run ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestEnvironmentExtension.class)
public @interface JackIntegrationTest {}
