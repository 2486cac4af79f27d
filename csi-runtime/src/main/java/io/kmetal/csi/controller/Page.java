package io.kmetal.csi.controller;

import io.grpc.Status;

/**
 * One page of a List call: entries {@code [start, end)} of {@code size}, and the token of the next
 * page (null on the last). Tokens are offsets; one that is not a valid offset is ABORTED, as the
 * CSI spec asks.
 */
record Page(int start, int end, String next) {
  static Page of(int size, String token, int maxEntries) {
    int start = 0;
    if (!token.isEmpty()) {
      try {
        start = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        start = -1;
      }
      if (start < 0 || start > size)
        throw Status.ABORTED
            .withDescription("starting_token " + token + " is not valid")
            .asRuntimeException();
    }
    int end = maxEntries > 0 ? Math.min(size, start + maxEntries) : size;
    return new Page(start, end, end < size ? Integer.toString(end) : null);
  }
}
