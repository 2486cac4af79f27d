package io.kmetal.csi.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  BigInteger servedSerial(ReloadingKeyManager keys) {
    keys.chooseServerAlias("EC", null, null); // a handshake begins
    return keys.getCertificateChain("serving")[0].getSerialNumber();
  }

  @Test
  void aRotatedSecretIsServedFromTheNextHandshakeAfterASecond() throws Exception {
    Path tls = dir.resolve("tls");
    LoopbackCertificates.issue(tls, "webhook");
    var clock = new Hands();
    var keys = new ReloadingKeyManager(tls, clock);
    BigInteger first = servedSerial(keys);

    LoopbackCertificates.issue(tls, "webhook");
    assertEquals(first, servedSerial(keys), "not read again within the second");
    clock.now = clock.now.plus(Duration.ofMillis(1500));
    BigInteger second = servedSerial(keys);
    assertNotEquals(first, second);
    assertEquals(keys.getPrivateKey("serving").getAlgorithm(), "EC");
  }

  @Test
  void aBrokenPairIsLoggedAndThePreviousOneKept() throws Exception {
    Path tls = dir.resolve("tls");
    LoopbackCertificates.issue(tls, "webhook");
    var clock = new Hands();
    var keys = new ReloadingKeyManager(tls, clock);
    BigInteger first = servedSerial(keys);
    Files.writeString(tls.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nbroken\n");
    clock.now = clock.now.plus(Duration.ofSeconds(2));
    assertEquals(first, servedSerial(keys));
  }

  @Test
  void startingWithoutAUsablePairFailsNamingTheFile() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(tls.resolve("tls.crt"), "not a certificate");
    Files.writeString(tls.resolve("tls.key"), "not a key");
    IOException e =
        assertThrows(IOException.class, () -> new ReloadingKeyManager(tls, Clock.systemUTC()));
    assertEquals(tls.resolve("tls.crt") + " holds no PEM certificate", e.getMessage());
  }
}
