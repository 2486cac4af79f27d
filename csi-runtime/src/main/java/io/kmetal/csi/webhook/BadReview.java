package io.kmetal.csi.webhook;

/**
 * A review that cannot be decided. With the review's uid known the webhook refuses the request with
 * the message (code 400); without one it answers HTTP 400, as the API does for a bad body.
 */
final class BadReview extends Exception {
  private final String uid;

  BadReview(String uid, String message) {
    super(message, null, false, false);
    this.uid = uid;
  }

  /** The review's uid, or null when the envelope itself is unreadable. */
  String uid() {
    return uid;
  }
}
