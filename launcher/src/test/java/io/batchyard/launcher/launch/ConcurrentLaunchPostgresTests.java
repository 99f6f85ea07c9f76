package io.batchyard.launcher.launch;

import io.batchyard.launcher.support.PostgresTest;

@PostgresTest
class ConcurrentLaunchPostgresTests extends ConcurrentLaunchTests {

}
