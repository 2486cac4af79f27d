package io.kmetal.csi.packaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The text constants of a class file (JVMS §4.4), which hold the names it loads by reflection. */
final class ConstantPool {
  private ConstantPool() {}

  static List<String> strings(byte[] classFile) {
    ByteBuffer in = ByteBuffer.wrap(classFile).position(8);
    int count = Short.toUnsignedInt(in.getShort());
    List<String> out = new ArrayList<>();
    for (int index = 1; index < count; index++) {
      int tag = in.get();
      switch (tag) {
        case 1 -> {
          byte[] text = new byte[Short.toUnsignedInt(in.getShort())];
          in.get(text);
          out.add(new String(text, StandardCharsets.UTF_8)); // modified UTF-8; names are ASCII
        }
        case 7, 8, 16, 19, 20 -> skip(in, 2);
        case 15 -> skip(in, 3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4);
        case 5, 6 -> {
          skip(in, 8);
          index++; // a long or a double takes two entries
        }
        default -> throw new IllegalArgumentException("constant pool tag " + tag + " at " + index);
      }
    }
    return out;
  }

  private static void skip(ByteBuffer in, int bytes) {
    in.position(in.position() + bytes);
  }
}
