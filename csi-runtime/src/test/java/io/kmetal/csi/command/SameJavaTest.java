package io.kmetal.csi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmetal.csi.NodeMain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command a driver process starts another of itself with. */
class SameJavaTest {
  @Test
  void aJarStartKeepsItsJvmFlagsAndJarButNoFlagThatWritesFilesOrAttachesATool() {
    var args =
        List.of(
            "-XX:+UseSerialGC",
            "-XX:SharedArchiveFile=/opt/kmetal/kmetal-csi.jsa",
            "-XX:ArchiveClassesAtExit=/build/kmetal-csi.jsa",
            "-Xlog:class+load:file=/tmp/classes",
            "-XX:NativeMemoryTracking=summary",
            "-javaagent:/tmp/agent.jar",
            "-jar",
            "kmetal-csi.jar",
            "node",
            "--node-name=w1");

    assertEquals(
        List.of(
            "/opt/java/bin/java",
            "-XX:+UseSerialGC",
            "-XX:SharedArchiveFile=/opt/kmetal/kmetal-csi.jsa",
            "-jar",
            "kmetal-csi.jar"),
        SameJava.command("/opt/java/bin/java", args, "kmetal-csi.jar"));
  }

  @Test
  void aClassPathStartRunsNodeMainOnTheSameClassPath() {
    assertEquals(
        List.of("java", "-cp", "a.jar:b", NodeMain.class.getName()),
        SameJava.command(
            "java", List.of("-Xss512k", "-cp", "a.jar:b", "x.Main", "node"), "a.jar:b"));
  }
}
