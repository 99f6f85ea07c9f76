package io.batchyard.launcher.dashboard.home;

import io.batchyard.launcher.support.PostgresTest;

@PostgresTest
class HomePagePostgresTests extends HomePageTests {

}
