package io.kmetal.csi.telemetry;

import com.google.protobuf.MessageLite;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A CSI request with its secrets cleared: what may be logged of it. Every field the spec marks
 * {@code csi_secret} is a request's {@code map<string, string> secrets} ({@code RedactionTest}
 * holds csi.proto to that), so clearing that map, where a message has one, clears them all. The
 * lite runtime the driver runs on has no descriptors to read the option from.
 */
public final class Redaction {
  private static final ClassValue<Method> CLEAR_SECRETS =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            return type.getMethod("newBuilder").getReturnType().getMethod("clearSecrets");
          } catch (NoSuchMethodException e) {
            return null; // no secrets
          }
        }
      };

  private Redaction() {}

  public static MessageLite strip(MessageLite message) {
    Method clear = CLEAR_SECRETS.get(message.getClass());
    if (clear == null) return message;
    MessageLite.Builder builder = message.toBuilder();
    try {
      clear.invoke(builder);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot clear the secrets of " + message.getClass(), e);
    }
    return builder.build();
  }

  /** {@code message} with its secrets cleared, as one line of protobuf's debug text. */
  public static String logLine(MessageLite message) {
    String text = strip(message).toString(); // "# <class>@<hash>" then a line per field
    int body = text.indexOf('\n');
    return body < 0 ? "" : text.substring(body + 1).strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
