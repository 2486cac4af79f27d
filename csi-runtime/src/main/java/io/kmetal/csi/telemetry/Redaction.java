package io.kmetal.csi.telemetry;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import csi.v1.Csi;
import java.util.List;
import java.util.Map;

/**
 * A CSI message with every field the spec marks {@code csi_secret} cleared, at any depth: what may
 * be logged of a request. Secrets never reach a log line.
 */
public final class Redaction {
  private Redaction() {}

  public static Message strip(Message message) {
    Message.Builder out = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getOptions().getExtension(Csi.csiSecret)) {
        out.clearField(descriptor);
      } else if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !descriptor.isMapField()) {
        if (descriptor.isRepeated()) {
          out.clearField(descriptor);
          for (Object item : (List<?>) field.getValue())
            out.addRepeatedField(descriptor, strip((Message) item));
        } else {
          out.setField(descriptor, strip((Message) field.getValue()));
        }
      }
    }
    return out.build();
  }
}
